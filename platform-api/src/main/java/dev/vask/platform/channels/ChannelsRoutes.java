package dev.vask.platform.channels;

import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.platform.signature.PusherApiRoutes;
import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** Routes of the Pusher HTTP API that read channel state. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
class ChannelsRoutes {

    @Bean
    RouterFunction<ServerResponse> pusherChannelRoutes(PusherApiAuthentication authentication, ChannelQueries channels) {
        ChannelsHandler handler = new ChannelsHandler(authentication, channels);
        return route(GET("/apps/{app}/channels"), handler::list)
                .andRoute(GET("/apps/{app}/channels/{channel}"), handler::channel)
                .andRoute(GET("/apps/{app}/channels/{channel}/users"), handler::users);
    }

    /** The same routes, served by the Pusher API's fast path ahead of the filter chain. */
    @Bean
    PusherApiRoutes pusherChannelRoutesFastPath(RouterFunction<ServerResponse> pusherChannelRoutes) {
        return new PusherApiRoutes(pusherChannelRoutes);
    }
}
