package dev.vask.platform.web;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Serves the OpenAPI document and its UI on {@code boundedElastic}: springdoc builds the document by
 * scanning the classpath, and the UI's files are read from a jar, both with blocking I/O that must not
 * run on an event loop. These are rare requests; every other request is left where it is.
 */
final class DocumentationOffEventLoop implements WebFilter {

    static boolean isDocumentation(String path) {
        return path.equals("/api/v1/openapi.json") || path.startsWith("/api/v1/openapi.json/") || path.equals("/api/v1/docs")
                || path.startsWith("/api/v1/docs/") || path.startsWith("/api/v1/swagger-ui/");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (isDocumentation(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange).subscribeOn(Schedulers.boundedElastic());
        }
        return chain.filter(exchange);
    }
}
