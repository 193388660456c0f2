package dev.vask.platform.usage;

import java.time.Clock;

import dev.vask.realtime.cluster.NodeId;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The {@link UsageMeter} (realtime's {@code UsageRecorder} and the HTTP API's quota check) and its
 * periodic flush. Each process is one node, under the node id realtime uses for its socket ids.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UsageProperties.class)
class UsageConfiguration {

    @Bean
    UsageMeter usageMeter(DatabaseClient database, TransactionalOperator transactions, UsageProperties properties, NodeId node) {
        return new UsageMeter(database, transactions, Clock.systemUTC(), properties.flushInterval(), node.toString());
    }

    @Bean
    UsageFlusher usageFlusher(UsageMeter meter, UsageProperties properties) {
        return new UsageFlusher(meter, properties.flushInterval());
    }
}
