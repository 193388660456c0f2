package dev.vask.platform.directory;

import java.time.Duration;

import dev.vask.platform.plan.PlanProperties;
import dev.vask.platform.secret.SecretCipher;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** Wires the Postgres-backed app directory that realtime and the HTTP API look apps up in. */
@Configuration(proxyBeanMethods = false)
class DirectoryConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    PostgresAppDirectory appDirectory(DatabaseClient database, SecretCipher cipher, ConnectionFactory connections,
            @Value("${vask.directory.heartbeat:15s}") Duration heartbeat, PlanProperties plans) {
        return new PostgresAppDirectory(database, cipher, new AppChangeFeed(connections, heartbeat), plans.defaults().plan());
    }
}
