package dev.vask.platform.account;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Account passwords are hashed with bcrypt through Spring Security's delegating encoder: each hash
 * carries its algorithm id ({@code {bcrypt}...}), so the algorithm can be upgraded later without
 * invalidating stored hashes. Hashing takes ~100 ms on purpose: callers run it off the event loop.
 */
@Configuration(proxyBeanMethods = false)
class PasswordConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
