package dev.vask.platform.schema;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** Registers the {@code databaseSchema} health indicator that the readiness group includes. */
@Configuration(proxyBeanMethods = false)
class SchemaConfiguration {

    @Bean
    SchemaHealthIndicator databaseSchemaHealthIndicator(DatabaseClient database) {
        return new SchemaHealthIndicator(database, SchemaHealthIndicator.latestShippedVersion());
    }
}
