package dev.vask.platform.vapid;

import dev.vask.platform.audit.AuditLog;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Scheduled VAPID key rotation, on every node (see {@link VapidRotationSchedule} for why that is safe). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VapidProperties.class)
class VapidConfiguration {

    @Bean
    VapidRotationSchedule vapidRotationSchedule(VapidKeys keys, AuditLog audit, TransactionalOperator transactions,
            ApplicationEventPublisher events, VapidProperties properties) {
        return new VapidRotationSchedule(keys, audit, transactions, events, properties);
    }
}
