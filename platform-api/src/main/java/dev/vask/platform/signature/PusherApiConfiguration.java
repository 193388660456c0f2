package dev.vask.platform.signature;

import java.time.Clock;

import dev.vask.realtime.usage.UsageRecorder;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import dev.vask.realtime.metrics.AppTrafficMeters;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The Pusher HTTP API surface ({@code /apps/**}): its request authentication, and a security chain
 * that leaves authentication to the Pusher signature (backends call it, not browsers: no sessions,
 * no CSRF tokens, no CORS).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
@EnableConfigurationProperties(PusherApiProperties.class)
class PusherApiConfiguration {

    @Bean
    PusherApiAuthentication pusherApiAuthentication(AppDirectory directory, UsageRecorder usage, AppTrafficMeters traffic,
            PusherApiProperties properties) {
        return new PusherApiAuthentication(directory, usage, traffic, Clock.systemUTC(), properties);
    }

    @Bean
    @Order(5)
    SecurityWebFilterChain pusherApiChain(ServerHttpSecurity http) {
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/apps/**"))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .cors(ServerHttpSecurity.CorsSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(org.springframework.security.web.server.context.NoOpServerSecurityContextRepository.getInstance())
                .build();
    }
}
