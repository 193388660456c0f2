package dev.vask.platform.events;

import dev.vask.platform.frontdoor.FrontDoorRoute;
import dev.vask.platform.push.PushFallback;
import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.platform.signature.PusherApiRoutes;
import dev.vask.platform.usage.UsageMeter;
import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.capacity.AdmissionControl;
import dev.vask.realtime.metrics.AppTrafficMeters;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/** Routes of the Pusher HTTP API that publish events. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
class EventsRoutes {

    @Bean
    EventsHandler pusherEventsHandler(PusherApiAuthentication authentication, RealtimeEvents events,
            ChannelQueries channels, UsageMeter usage, PushFallback pushFallback, AdmissionControl admission, AppTrafficMeters traffic) {
        return new EventsHandler(authentication, events, channels, usage, pushFallback, admission, traffic);
    }

    @Bean
    RouterFunction<ServerResponse> pusherEventRoutes(EventsHandler handler) {
        return route(POST("/apps/{app}/events"), handler::events)
                .andRoute(POST("/apps/{app}/batch_events"), handler::batch)
                .andRoute(POST("/apps/{app}/users/{userId}/events"), handler::toUser);
    }

    /** The same routes, served by the Pusher API's fast path ahead of the filter chain. */
    @Bean
    PusherApiRoutes pusherEventRoutesFastPath(RouterFunction<ServerResponse> pusherEventRoutes) {
        return new PusherApiRoutes(pusherEventRoutes);
    }

    /** The publish routes on the front door, ahead of WebFlux. */
    @Bean
    FrontDoorRoute pusherEventsFrontDoor(EventsHandler handler) {
        return new FrontDoorRoute("events", "/apps/{app}/events", handler::events);
    }

    @Bean
    FrontDoorRoute pusherBatchEventsFrontDoor(EventsHandler handler) {
        return new FrontDoorRoute("batch_events", "/apps/{app}/batch_events", handler::batch);
    }
}
