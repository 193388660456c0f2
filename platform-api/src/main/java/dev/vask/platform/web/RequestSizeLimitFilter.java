package dev.vask.platform.web;

import dev.vask.platform.management.ApiException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses management API requests whose declared {@code Content-Length} exceeds the limit with 413,
 * before anything reads them. Bodies without a length (chunked) are capped while they are decoded
 * ({@link StrictJsonDecoder}'s in-memory limit), with the same answer.
 */
final class RequestSizeLimitFilter implements WebFilter {

    private final long maxBytes;
    private final ProblemResponses problems;

    RequestSizeLimitFilter(long maxBytes, ProblemResponses problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if ((path.equals("/api/v1") || path.startsWith("/api/v1/")) && exchange.getRequest().getHeaders().getContentLength() > maxBytes) {
            return problems.write(exchange, ApiException.payloadTooLarge(maxBytes));
        }
        return chain.filter(exchange);
    }
}
