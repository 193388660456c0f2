package dev.vask.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;

/**
 * Vask in one process: every role ({@code vask.roles=realtime,api,dashboard}) on one port
 * ({@code VASK_PORT}, default 6001), on an embedded PostgreSQL unless {@code VASK_DATABASE_URL} is set.
 */
// Accounts sign in through Vask's own authentication; Boot's generated in-memory user is not wanted.
@SpringBootApplication(scanBasePackages = "dev.vask", exclude = ReactiveUserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan("dev.vask")
public class VaskApplication {

    public static void main(String[] args) {
        SpringApplication.run(VaskApplication.class, args);
    }
}
