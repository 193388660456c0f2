package dev.vask.platform.signature;

import java.util.List;
import java.util.Map;

import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;

/**
 * Serves the Pusher HTTP API's routes ({@link PusherApiRoutes}) as the first web filter, so that a publish does not
 * pay for the filters and the dispatcher it has no use for. A profile of {@code POST /apps/{id}/events} at 1,000
 * requests/s put most of the server's CPU in Reactor operators, Spring Security's filter chain (a dozen filters that
 * end in {@code permitAll} for {@code /apps/**}) and the dispatcher's handler mappings; the Pusher signature is the
 * API's only authentication. What the skipped road did for these routes is done here with the same objects:
 * <ul>
 * <li>the request path and headers pass Spring Security's firewall (the {@link ServerWebExchangeFirewall} bean), and a
 *     refusal is answered by the same {@link ServerExchangeRejectedHandler};</li>
 * <li>the response carries the security headers of the Pusher API's security chain (its own header-writing filter);</li>
 * <li>the matched route is recorded where the dispatcher records it, so {@code http.server.requests} keeps its
 *     {@code uri} tag ({@code /apps/{app}/events}).</li>
 * </ul>
 * The HTTP server observation, the error handlers and the request timeouts sit outside the filters and are untouched.
 * A request the table does not match (another method, another {@code /apps} route) takes the ordinary road.
 */
public final class PusherApiFastPath implements WebFilter {

    private static final String PREFIX = "/apps/";

    private final RouterFunction<ServerResponse> routes;
    private final List<HttpMessageReader<?>> readers;
    private final ServerResponse.Context context;
    private final ServerWebExchangeFirewall firewall;
    private final ServerExchangeRejectedHandler rejected;
    private final WebFilter securityHeaders;

    public PusherApiFastPath(RouterFunction<ServerResponse> routes, List<HttpMessageReader<?>> readers, List<HttpMessageWriter<?>> writers,
            ServerWebExchangeFirewall firewall, ServerExchangeRejectedHandler rejected, WebFilter securityHeaders) {
        this.routes = routes;
        this.readers = List.copyOf(readers);
        List<HttpMessageWriter<?>> messageWriters = List.copyOf(writers);
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return messageWriters;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
        this.firewall = firewall;
        this.rejected = rejected;
        this.securityHeaders = securityHeaders;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith(PREFIX)) {
            return chain.filter(exchange);
        }
        return firewall.getFirewalledExchange(exchange)
                .flatMap(checked -> {
                    ServerRequest request = ServerRequest.create(checked, readers);
                    return routes.route(request)
                            .flatMap(handler -> serve(checked, request, handler).thenReturn(Boolean.TRUE))
                            // not one of these routes: the ordinary road, which applies the firewall itself
                            .switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(Boolean.FALSE)));
                })
                .then()
                .onErrorResume(ServerExchangeRejectedException.class, refused -> rejected.handle(exchange, refused));
    }

    private Mono<Void> serve(ServerWebExchange exchange, ServerRequest request, HandlerFunction<ServerResponse> handler) {
        recordRoute(exchange.getAttributes(), request, handler);
        return securityHeaders.filter(exchange, headed -> handler.handle(request).flatMap(response -> response.writeTo(headed, context)));
    }

    /** What WebFlux's {@code RouterFunctionMapping} records for a matched route, for the metrics and anyone reading it. */
    @SuppressWarnings("unchecked")
    private static void recordRoute(Map<String, Object> attributes, ServerRequest request, HandlerFunction<ServerResponse> handler) {
        attributes.put(RouterFunctions.REQUEST_ATTRIBUTE, request);
        attributes.put(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handler);
        if (attributes.get(RouterFunctions.MATCHING_PATTERN_ATTRIBUTE) instanceof PathPattern pattern) {
            attributes.put(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
            ServerRequestObservationContext.findCurrent(attributes).ifPresent(observation -> observation.setPathPattern(pattern.toString()));
        }
        Object variables = attributes.get(RouterFunctions.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables != null) {
            attributes.put(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, (Map<String, String>) variables);
        }
    }
}
