package dev.vask.platform.web;

import java.security.MessageDigest;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.OpaqueTokens;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Decides who may read {@code /actuator/prometheus}, which holds totals across every tenant: with a
 * metrics token configured, whoever sends it as a bearer token (on whichever port actuator is served);
 * without one, anyone who reaches a separate management port, and nobody on the main port, which is the
 * public one. Refusals say what to configure or send.
 */
final class MetricsScrapeAccess {

    static final String PATH = "/actuator/prometheus";

    private final byte @Nullable [] tokenHash;
    private final boolean separateManagementPort;
    private final ProblemResponses problems;

    MetricsScrapeAccess(MetricsProperties properties, boolean separateManagementPort, ProblemResponses problems) {
        this.tokenHash = properties.token() == null ? null : OpaqueTokens.sha256(properties.token());
        this.separateManagementPort = separateManagementPort;
        this.problems = problems;
    }

    Mono<AuthorizationResult> check(Mono<Authentication> authentication, AuthorizationContext context) {
        return Mono.just(new AuthorizationDecision(allowed(context.getExchange())));
    }

    private boolean allowed(ServerWebExchange exchange) {
        if (tokenHash == null) {
            return separateManagementPort;
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // digests have one length whatever was sent, so the comparison's time tells nothing
        return MessageDigest.isEqual(tokenHash, OpaqueTokens.sha256(header.substring(7).strip()));
    }

    /** The answer to a refused scrape: 401 asking for the token, or 403 naming the settings when there is none. */
    Mono<Void> refuse(ServerWebExchange exchange) {
        if (tokenHash == null) {
            return problems.write(exchange, ApiException.of(HttpStatus.FORBIDDEN, "metrics-not-served", "Metrics are not served here",
                    "Metrics are served with a token (set VASK_METRICS_TOKEN and scrape with 'Authorization: Bearer <token>') "
                            + "or on a separate management port (VASK_MANAGEMENT_PORT)"));
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"vask-metrics\"");
        return problems.write(exchange, ApiException.of(HttpStatus.UNAUTHORIZED, "metrics-credential", "Metrics credential missing or wrong",
                "Send the metrics token (VASK_METRICS_TOKEN) as 'Authorization: Bearer <token>'"));
    }
}
