package dev.vask.platform.users;

import java.util.Map;

import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.platform.signature.PusherApiException;
import dev.vask.platform.signature.PusherApiRoutes;
import dev.vask.realtime.api.UserConnections;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.cluster.ClusterUnavailableException;
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

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * {@code POST /apps/{app}/users/{user_id}/terminate_connections}: closes every socket signed in as the
 * user (with 4009, so pusher-js does not reconnect by itself). Answers {@code {}}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
class UsersRoutes {

    @Bean
    RouterFunction<ServerResponse> pusherUserRoutes(PusherApiAuthentication authentication, UserConnections users) {
        return route(POST("/apps/{app}/users/{userId}/terminate_connections"), request -> terminate(request, authentication, users));
    }

    /** The same routes, served by the Pusher API's fast path ahead of the filter chain. */
    @Bean
    PusherApiRoutes pusherUserRoutesFastPath(RouterFunction<ServerResponse> pusherUserRoutes) {
        return new PusherApiRoutes(pusherUserRoutes);
    }

    private static Mono<ServerResponse> terminate(ServerRequest request, PusherApiAuthentication authentication, UserConnections users) {
        return authentication.respond(request, auth -> {
            String userId = request.pathVariable("userId");
            if (ChannelName.parse(ChannelName.SERVER_TO_USER_PREFIX + userId).isEmpty()) {
                throw PusherApiException.badRequest("Invalid user id: use A-Z, a-z, 0-9 and _ - = @ , . ;");
            }
            return users.terminate(auth.app().id(), userId)
                    .onErrorMap(ClusterUnavailableException.class, error -> new PusherApiException(HttpStatus.SERVICE_UNAVAILABLE,
                            "The connections were not terminated: Vask cannot reach its Redis right now. Retry shortly."))
                    .then(ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()));
        });
    }
}
