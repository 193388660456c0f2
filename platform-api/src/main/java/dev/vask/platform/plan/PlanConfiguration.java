package dev.vask.platform.plan;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link PlanProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlanProperties.class)
class PlanConfiguration {
}
