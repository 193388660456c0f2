package dev.vask.platform.web;

import dev.vask.platform.account.SessionCsrfTokens;
import dev.vask.platform.account.SessionStore;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.token.ApiTokens;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CsrfException;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * HTTP security, one filter chain per surface, matched by path. WebSocket upgrades on
 * {@code /app/{key}} never reach WebFlux: realtime takes them over in the Netty pipeline.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(MetricsProperties.class)
class SecurityConfiguration {

    /** Paths of the management API that need no credential. */
    private static final String[] PUBLIC_GETS = {"/api/v1/openapi.json", "/api/v1/openapi.json/**", "/api/v1/docs", "/api/v1/docs/**",
            "/api/v1/swagger-ui/**"};

    /** Management API POSTs that need no credential: sign-up, sign-in, and the links mailed to an address. */
    private static final String[] PUBLIC_POSTS = {"/api/v1/accounts", "/api/v1/session", "/api/v1/email-verification",
            "/api/v1/password-reset", "/api/v1/password-reset/confirm"};

    /**
     * Probes for the orchestrator, open to all (they tell nothing about tenants), and metrics for Prometheus,
     * which hold totals across tenants and so need the metrics token or a separate management port
     * ({@link MetricsScrapeAccess}).
     */
    @Bean
    @Order(0)
    SecurityWebFilterChain actuatorChain(ServerHttpSecurity http, MetricsProperties metrics, Environment environment,
            ProblemResponses problems) {
        MetricsScrapeAccess scrapes = new MetricsScrapeAccess(metrics,
                ManagementPortType.get(environment) == ManagementPortType.DIFFERENT, problems);
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator/**"))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .pathMatchers(MetricsScrapeAccess.PATH).access(scrapes::check)
                        .anyExchange().denyAll())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((exchange, denied) -> refuse(exchange, scrapes))
                        .accessDeniedHandler((exchange, denied) -> refuse(exchange, scrapes)))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .build();
    }

    /**
     * The management API ({@code /api/v1/**}): a bearer API token or the session cookie. Token scopes:
     * {@code read} for GET/HEAD, {@code write} for the rest; token management, password change and the
     * session itself need a signed-in session. Requests authenticated by the cookie must carry the session's
     * CSRF token ({@code X-XSRF-TOKEN}, {@link SessionCsrfTokens}) on every state-changing method; sign-up
     * and sign-in need none (they take only {@code application/json}, which a cross-site form cannot send,
     * and CORS is not enabled).
     * Tenant roles are checked further in, in each query.
     */
    @Bean
    @Order(10)
    SecurityWebFilterChain managementApiChain(ServerHttpSecurity http, ApiTokens tokens, SessionStore sessions,
            SessionCsrfTokens csrfTokens, ProblemResponses problems) {
        ManagementAuthentication credentials = new ManagementAuthentication(tokens, sessions);
        AuthenticationWebFilter authentication = new AuthenticationWebFilter(credentials);
        authentication.setServerAuthenticationConverter(credentials);
        authentication.setRequiresAuthenticationMatcher(notPublic());
        authentication.setAuthenticationFailureHandler((filterExchange, error) -> problems.write(filterExchange.getExchange(),
                ApiException.unauthorized(error.getMessage() != null ? error.getMessage() : "Not authenticated")));
        authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

        ServerCsrfTokenRequestAttributeHandler csrfHandler = new ServerCsrfTokenRequestAttributeHandler();

        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/v1", "/api/v1/**"))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.POST, PUBLIC_POSTS).permitAll()
                        .pathMatchers(HttpMethod.GET, PUBLIC_GETS).permitAll()
                        .pathMatchers("/api/v1/session", "/api/v1/account/password", "/api/v1/account/tokens",
                                "/api/v1/account/tokens/**").hasAuthority(CallerAuthentication.SESSION)
                        .pathMatchers(HttpMethod.GET, "/api/v1/**").hasAuthority(CallerAuthentication.SCOPE_READ)
                        .pathMatchers(HttpMethod.HEAD, "/api/v1/**").hasAuthority(CallerAuthentication.SCOPE_READ)
                        .anyExchange().hasAuthority(CallerAuthentication.SCOPE_WRITE))
                .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(csrfHandler)
                        .requireCsrfProtectionMatcher(SecurityConfiguration::cookieAuthenticatedWrite)
                        .accessDeniedHandler(accessDenied(problems)))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((exchange, error) -> problems.write(exchange, ApiException.unauthorized(
                                "Send 'Authorization: Bearer <API token>', or sign in with POST /api/v1/session")))
                        .accessDeniedHandler(accessDenied(problems)))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .build();
    }

    /** Everything not claimed by a surface above is refused. */
    @Bean
    @Order(Integer.MAX_VALUE)
    SecurityWebFilterChain fallbackChain(ServerHttpSecurity http) {
        return http.authorizeExchange(exchanges -> exchanges.anyExchange().denyAll())
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .build();
    }

    private static ServerWebExchangeMatcher notPublic() {
        ServerWebExchangeMatcher publicPaths = ServerWebExchangeMatchers.matchers(
                ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, PUBLIC_POSTS),
                ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, PUBLIC_GETS));
        return exchange -> publicPaths.matches(exchange)
                .flatMap(result -> result.isMatch() ? ServerWebExchangeMatcher.MatchResult.notMatch()
                        : ServerWebExchangeMatcher.MatchResult.match());
    }

    /** CSRF applies to state-changing requests that a browser would authenticate with the cookie alone. */
    private static Mono<ServerWebExchangeMatcher.MatchResult> cookieAuthenticatedWrite(ServerWebExchange exchange) {
        var request = exchange.getRequest();
        HttpMethod method = request.getMethod();
        boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS || method == HttpMethod.TRACE;
        boolean bearer = request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
        boolean cookie = request.getCookies().getFirst(SessionStore.COOKIE) != null;
        String path = request.getPath().pathWithinApplication().value();
        boolean signInOrUp = method == HttpMethod.POST && (path.equals("/api/v1/session") || path.equals("/api/v1/accounts"));
        return !safe && cookie && !bearer && !signInOrUp ? ServerWebExchangeMatcher.MatchResult.match()
                : ServerWebExchangeMatcher.MatchResult.notMatch();
    }

    /** A refused actuator request: metrics get {@link MetricsScrapeAccess}'s answer, anything else a bare 403. */
    private static Mono<Void> refuse(ServerWebExchange exchange, MetricsScrapeAccess scrapes) {
        if (exchange.getRequest().getPath().pathWithinApplication().value().equals(MetricsScrapeAccess.PATH)) {
            return scrapes.refuse(exchange);
        }
        exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
        return exchange.getResponse().setComplete();
    }

    private static ServerAccessDeniedHandler accessDenied(ProblemResponses problems) {
        return (exchange, denied) -> {
            if (denied instanceof CsrfException) {
                return problems.write(exchange, ApiException.of(HttpStatus.FORBIDDEN, "csrf", "CSRF token missing or wrong",
                        "Requests made with the session cookie must send the session's CSRF token (the csrfToken that "
                                + "POST /api/v1/session and GET /api/v1/session answer) in the X-XSRF-TOKEN header"));
            }
            return exchange.getPrincipal()
                    .map(principal -> principal instanceof CallerAuthentication authentication ? authentication.getPrincipal() : null)
                    .map(caller -> describe(caller, exchange))
                    .defaultIfEmpty("Not allowed")
                    .flatMap(detail -> problems.write(exchange, ApiException.of(HttpStatus.FORBIDDEN,
                            "insufficient-scope", "Not allowed with this credential", detail)));
        };
    }

    private static String describe(Caller caller, ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!caller.isSession() && (path.startsWith("/api/v1/account/tokens") || path.equals("/api/v1/account/password")
                || path.equals("/api/v1/session"))) {
            return "API tokens cannot manage tokens, passwords or sessions; sign in with POST /api/v1/session";
        }
        return "This API token has the read scope only; create a token with the write scope to change things";
    }
}
