package dev.vask.platform.push;

import java.util.Map;

import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.platform.signature.PusherApiException;
import dev.vask.platform.signature.PusherApiRoutes;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import static org.springframework.web.reactive.function.server.RequestPredicates.DELETE;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The Web Push routes of the Pusher-style HTTP API, signed like every other route ({@link PusherApiAuthentication}):
 * {@code POST} and {@code DELETE /apps/{app}/users/{user_id}/push_subscriptions}, {@code POST /apps/{app}/users/{user_id}/push}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
class PushRoutes {

    @Bean
    RouterFunction<ServerResponse> pusherPushRoutes(PusherApiAuthentication authentication, PushService push) {
        return route(POST("/apps/{app}/users/{userId}/push_subscriptions"), request -> json(request, authentication, true, (auth, user) ->
                        push.register(auth.app(), user, auth.request().body()).flatMap(result -> switch (result) {
                            case PushService.Registered.Stored stored -> ServerResponse.status(stored.created() ? HttpStatus.CREATED : HttpStatus.OK)
                                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of());
                            case PushService.Registered.Stale stale -> ServerResponse.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_JSON)
                                    .bodyValue(staleKey(stale.currentKey()));
                        })))
                .andRoute(DELETE("/apps/{app}/users/{userId}/push_subscriptions"), request -> json(request, authentication, false, (auth, user) ->
                        push.unregister(auth.app(), user, auth.request().body(), auth.request().query().param("endpoint"))
                                .then(ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()))))
                .andRoute(POST("/apps/{app}/users/{userId}/push"), request -> json(request, authentication, true, (auth, user) ->
                        push.push(auth.app(), user, auth.request().body()).flatMap(targeted -> ServerResponse.status(HttpStatus.ACCEPTED)
                                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("subscriptions", targeted)))));
    }

    /**
     * The same routes, served by the Pusher API's fast path ahead of the filter chain: a push call (and the 503 of a
     * full queue) no longer crosses Spring Security's chain and the dispatcher, which the push profile showed.
     */
    @Bean
    PusherApiRoutes pusherPushRoutesFastPath(RouterFunction<ServerResponse> pusherPushRoutes) {
        return new PusherApiRoutes(pusherPushRoutes);
    }

    /** {@code {"error":"stale_vapid_key","key":"..."}}, in that order. */
    private static Map<String, String> staleKey(String currentKey) {
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("error", "stale_vapid_key");
        body.put("key", currentKey);
        return body;
    }

    private interface Work {
        Mono<ServerResponse> apply(dev.vask.platform.signature.AuthenticatedRequest auth, String userId);
    }

    /** Authentication first (an unsigned request is a 401 whatever its content), then the user id, then a JSON body. */
    private static Mono<ServerResponse> json(ServerRequest request, PusherApiAuthentication authentication, boolean bodyRequired, Work work) {
        return authentication.respond(request, auth -> {
            String userId = request.pathVariable("userId");
            if (ChannelName.parse(ChannelName.SERVER_TO_USER_PREFIX + userId).isEmpty()) {
                throw PusherApiException.badRequest("Invalid user id: use A-Z, a-z, 0-9 and _ - = @ , . ;");
            }
            if ((bodyRequired || auth.request().body().length > 0) && !isJson(request)) {
                throw new PusherApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
            }
            return work.apply(auth, userId);
        });
    }

    private static boolean isJson(ServerRequest request) {
        try {
            return request.headers().contentType().map(MediaType.APPLICATION_JSON::isCompatibleWith).orElse(false);
        }
        catch (org.springframework.http.InvalidMediaTypeException unparseable) {
            return false;
        }
    }
}
