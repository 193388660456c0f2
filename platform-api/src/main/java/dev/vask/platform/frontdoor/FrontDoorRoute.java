package dev.vask.platform.frontdoor;

import java.util.function.Function;

import dev.vask.platform.signature.AuthenticatedRequest;
import dev.vask.platform.signature.PusherApiAnswer;
import reactor.core.publisher.Mono;

/**
 * A {@code POST /apps/{app}/<operation>} route of the Pusher HTTP API that the front door serves: a feature declares
 * one as a bean next to its WebFlux route for the same path (which serves what the door passes on).
 *
 * @param operation the last path segment ({@code events})
 * @param uriTemplate the route as the request metrics name it ({@code /apps/{app}/events})
 * @param serve the work once the request is authenticated, its body read and checked, and its content type JSON
 */
public record FrontDoorRoute(String operation, String uriTemplate, Function<AuthenticatedRequest, Mono<PusherApiAnswer>> serve) {
}
