package dev.vask.platform.edge;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/** Binds {@link EdgeProperties}; with trusted proxies named, their forwarded headers (and only theirs) apply. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EdgeProperties.class)
class EdgeConfiguration {

    @Bean
    PublicUrl publicUrl(EdgeProperties properties, Environment environment) {
        return new PublicUrl(properties, environment);
    }

    @Bean
    TrustedProxies trustedProxies(EdgeProperties properties) {
        return new TrustedProxies(properties.trustedProxies());
    }

    /** Named as WebFlux looks it up; Spring Boot's own (for {@code server.forward-headers-strategy=framework}) then backs off. */
    @Bean(WebHttpHandlerBuilder.FORWARDED_HEADER_TRANSFORMER_BEAN_NAME)
    @Conditional(ProxiesNamed.class)
    TrustedForwardedHeaders forwardedHeaderTransformer(TrustedProxies proxies) {
        return new TrustedForwardedHeaders(proxies);
    }

    static final class ProxiesNamed extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            List<String> proxies = Binder.get(context.getEnvironment())
                    .bind("vask.trusted-proxies", Bindable.listOf(String.class)).orElse(List.of());
            return proxies.stream().anyMatch(proxy -> !proxy.isBlank()) ? ConditionOutcome.match("vask.trusted-proxies is set")
                    : ConditionOutcome.noMatch("vask.trusted-proxies is empty");
        }
    }
}
