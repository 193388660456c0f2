package dev.vask.platform.web;

import java.net.URI;
import java.util.List;

import dev.vask.platform.edge.PublicUrl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Answers the OpenAPI document and its UI as if every request had arrived at {@code VASK_PUBLIC_URL}.
 * springdoc builds absolute URLs (the document's server, the UI's OAuth2 redirect) from the request's
 * {@code Host} and forwarded headers, which whoever sends the request chooses: a cache or a reader
 * could then be handed a document pointing "Try it out" at someone else's host. So the request springdoc
 * sees carries the public URL's scheme, host and port and no forwarded headers, and the UI's entry
 * ({@code GET /api/v1/docs}) redirects to a path under the public URL's own path.
 */
final class DocumentationAtPublicUrl implements WebFilter {

    static final String ENTRY = "/api/v1/docs";
    static final String UI = "/api/v1/swagger-ui/index.html";

    private static final List<String> FORWARDED_HEADERS = List.of("Forwarded", "X-Forwarded-Host", "X-Forwarded-Port",
            "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Forwarded-Ssl", "X-Forwarded-For");

    private final PublicUrl publicUrl;

    DocumentationAtPublicUrl(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!DocumentationOffEventLoop.isDocumentation(path)) {
            return chain.filter(exchange);
        }
        if ((path.equals(ENTRY) || path.equals(ENTRY + "/")) && exchange.getRequest().getMethod() == HttpMethod.GET) {
            exchange.getResponse().setStatusCode(HttpStatus.FOUND);
            exchange.getResponse().getHeaders().setLocation(URI.create(publicUrl.path() + UI));
            return exchange.getResponse().setComplete();
        }
        return chain.filter(exchange.mutate().request(atPublicUrl(exchange.getRequest())).build());
    }

    private ServerHttpRequest atPublicUrl(ServerHttpRequest request) {
        URI base = publicUrl.base();
        URI uri = UriComponentsBuilder.fromUri(request.getURI())
                .scheme(base.getScheme()).host(base.getHost()).port(base.getPort())
                .build(true).toUri();
        return request.mutate().uri(uri).headers(headers -> {
            headers.set(HttpHeaders.HOST, base.getPort() < 0 ? base.getHost() : base.getHost() + ":" + base.getPort());
            FORWARDED_HEADERS.forEach(headers::remove);
        }).build();
    }
}
