package dev.vask.platform.signature;

import java.time.Clock;
import java.util.List;

import dev.vask.realtime.usage.UsageRecorder;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import dev.vask.realtime.metrics.AppTrafficMeters;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;
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

    /**
     * The Pusher API's routes served ahead of the filter chain and the dispatcher: the first web filter, so nothing
     * meant for the management API or the dashboard runs for them. Its security headers are the chain's own.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE) // a context without a web server serves no routes
    WebFilter pusherApiFastPath(List<PusherApiRoutes> tables, ServerCodecConfigurer codecs, ServerWebExchangeFirewall firewall,
            ServerExchangeRejectedHandler rejected, @Qualifier("pusherApiChain") SecurityWebFilterChain chain) {
        RouterFunction<ServerResponse> routes = tables.stream().map(PusherApiRoutes::routes).reduce(RouterFunction::and)
                .orElseThrow(() -> new IllegalStateException("no Pusher API routes"));
        List<WebFilter> headers = chain.getWebFilters().filter(HttpHeaderWriterWebFilter.class::isInstance).collectList().block();
        if (headers == null || headers.size() != 1) {
            throw new IllegalStateException("the Pusher API's security chain should write its headers with one filter, found " + headers);
        }
        return new PusherApiFastPath(routes, codecs.getReaders(), codecs.getWriters(), firewall, rejected, headers.get(0));
    }
}
