package dev.vask.dashboard.web;

import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.CrossOriginOpenerPolicyServerHttpHeadersWriter.CrossOriginOpenerPolicy;
import org.springframework.security.web.server.header.CrossOriginResourcePolicyServerHttpHeadersWriter.CrossOriginResourcePolicy;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The dashboard's security filter chain ({@code /dashboard/**}). Its files are public: they hold no
 * data, and every page reads and writes through the management API, whose own chain checks the
 * session cookie and the CSRF token. This chain only reads (GET and HEAD; other methods get 405) and
 * sets the pages' headers:
 * <ul>
 * <li>a Content-Security-Policy that lets the pages load and talk to their own origin only: no inline
 *     script or style, no framing ({@code frame-ancestors 'none'}, plus {@code X-Frame-Options: DENY} for
 *     older browsers), and Trusted Types enforced, so no string can ever reach an HTML sink;</li>
 * <li>{@code Referrer-Policy: same-origin}, {@code X-Content-Type-Options: nosniff}, and cross-origin
 *     opener and resource policies of {@code same-origin}.</li>
 * </ul>
 * Ordered between the management API's chain (10) and the fallback that refuses everything else.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.DASHBOARD)
class DashboardSecurityConfiguration {

    /** The order of {@link #dashboardChain}: after actuator (0) and the management API (10), before the fallback. */
    static final int ORDER = 20;

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'");

    @Bean
    @Order(ORDER)
    SecurityWebFilterChain dashboardChain(ServerHttpSecurity http) {
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(DashboardPages.BASE, DashboardPages.BASE + "/**"))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, DashboardPages.BASE, DashboardPages.BASE + "/**").permitAll()
                        .pathMatchers(HttpMethod.HEAD, DashboardPages.BASE, DashboardPages.BASE + "/**").permitAll()
                        .anyExchange().denyAll())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((exchange, denied) -> methodNotAllowed(exchange))
                        .accessDeniedHandler((exchange, denied) -> methodNotAllowed(exchange)))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frames -> frames.mode(Mode.DENY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                        .crossOriginOpenerPolicy(opener -> opener.policy(CrossOriginOpenerPolicy.SAME_ORIGIN))
                        .crossOriginResourcePolicy(resource -> resource.policy(CrossOriginResourcePolicy.SAME_ORIGIN)))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .csrf(ServerHttpSecurity.CsrfSpec::disable) // nothing here changes state: writes are refused above
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .build();
    }

    private static Mono<Void> methodNotAllowed(ServerWebExchange exchange) {
        exchange.getResponse().setStatusCode(HttpStatus.METHOD_NOT_ALLOWED);
        exchange.getResponse().getHeaders().set(HttpHeaders.ALLOW, "GET, HEAD");
        return exchange.getResponse().setComplete();
    }
}
