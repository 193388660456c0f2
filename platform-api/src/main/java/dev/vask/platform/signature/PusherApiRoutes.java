package dev.vask.platform.signature;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Routes of the Pusher HTTP API that {@link PusherApiFastPath} serves ahead of Spring Security's filter chain and
 * WebFlux's dispatcher. A feature adds its routes to that table by declaring a bean of this type next to its
 * {@code RouterFunction} bean (the same routes): requests the table does not match take the ordinary WebFlux road.
 * Every route of the table must authenticate with {@link PusherApiAuthentication}, which is what the skipped security
 * chain would have left to it anyway ({@code permitAll} on {@code /apps/**}).
 */
public record PusherApiRoutes(RouterFunction<ServerResponse> routes) {
}
