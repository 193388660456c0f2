package dev.vask.platform.bootstrap;

import dev.vask.platform.edge.PublicUrl;
import dev.vask.platform.secret.SecretCipher;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The first-start set-up (after migrations and the master key check) and the connection banner. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BootstrapProperties.class)
class BootstrapConfiguration {

    @Bean
    @Order(100) // after the master key verification: never encrypt a new secret under a wrong key
    FirstStartBootstrap firstStartBootstrap(BootstrapProperties properties, SecretCipher cipher, PasswordEncoder passwords) {
        return new FirstStartBootstrap(properties, cipher, passwords);
    }

    @Bean
    ConnectionBanner connectionBanner(FirstStartBootstrap bootstrap, PublicUrl publicUrl) {
        return new ConnectionBanner(bootstrap, publicUrl, System.out);
    }
}
