package dev.vask.platform.frontdoor;

import java.util.List;

import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.realtime.capacity.AdmissionControl;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The front door on API nodes with a web server. {@code vask.api.front-door=false} leaves the Pusher API to WebFlux
 * alone (for comparison; the answers are the same).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpDeadlines.class)
class FrontDoorConfiguration {

    @Bean
    @ConditionalOnRole(Role.API)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnProperty(name = "vask.api.front-door", havingValue = "true", matchIfMissing = true)
    PusherApiFrontDoor pusherApiFrontDoor(List<FrontDoorRoute> routes, PusherApiAuthentication authentication, AdmissionControl admission,
            JsonMapper json, MeterRegistry meters, HttpDeadlines deadlines) {
        return new PusherApiFrontDoor(routes, authentication, admission, new FrontDoorResponses(json), new RequestTimers(meters), deadlines);
    }
}
