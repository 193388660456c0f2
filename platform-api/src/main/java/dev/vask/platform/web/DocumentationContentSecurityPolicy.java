package dev.vask.platform.web;

import java.net.URI;

import dev.vask.platform.edge.PublicUrl;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A Content-Security-Policy on the OpenAPI document and its UI ({@code /api/v1/docs},
 * {@code /api/v1/swagger-ui/**}): scripts, styles and fonts from Vask's own origin only, no plugins, no
 * framing, no forms, and requests ("Try it out") to Vask's own origin or its public URL. Swagger UI runs
 * no inline script, but it adds a {@code <style>} element while rendering and its icons are {@code data:}
 * images, so those two are allowed; a style cannot run code. The dashboard's stricter policy (no inline
 * style, Trusted Types) would break it: Swagger UI writes rendered Markdown as HTML.
 */
final class DocumentationContentSecurityPolicy implements WebFilter {

    private final PublicUrl publicUrl;

    DocumentationContentSecurityPolicy(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** The policy; the public URL's origin is read each time, as its default names the port the server got. */
    String policy() {
        URI base = publicUrl.base();
        String publicOrigin = base.getScheme() + "://" + base.getRawAuthority();
        return String.join("; ",
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data:",
                "font-src 'self'",
                "connect-src 'self' " + publicOrigin,
                "base-uri 'none'",
                "form-action 'none'",
                "frame-ancestors 'none'");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (DocumentationOffEventLoop.isDocumentation(exchange.getRequest().getPath().pathWithinApplication().value())) {
            String policy = policy();
            exchange.getResponse().beforeCommit(() -> {
                exchange.getResponse().getHeaders().set("Content-Security-Policy", policy);
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }
}
