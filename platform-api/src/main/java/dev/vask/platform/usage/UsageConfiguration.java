package dev.vask.platform.usage;

import java.time.Clock;
import java.util.UUID;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The {@link UsageMeter} (realtime's {@code UsageRecorder} and the HTTP API's quota check) and its
 * periodic flush. Each process is one node, with a random id.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UsageProperties.class)
class UsageConfiguration {

    @Bean
    UsageMeter usageMeter(DatabaseClient database, TransactionalOperator transactions, UsageProperties properties) {
        return new UsageMeter(database, transactions, Clock.systemUTC(), properties.flushInterval(), UUID.randomUUID().toString());
    }

    @Bean
    UsageFlusher usageFlusher(UsageMeter meter, UsageProperties properties) {
        return new UsageFlusher(meter, properties.flushInterval());
    }
}
