package dev.vask.platform.vapid;

import java.time.Duration;

import dev.vask.platform.signature.PusherApiErrors;
import dev.vask.platform.signature.PusherApiException;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.VapidKeyEvent;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.config.CorsRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * {@code GET /apps/{app_key}/vapid}: the app's latest VAPID key change event, the same JSON its sockets hear as
 * {@code vask:vapid}. No signature (a public key is public, and the app key is already in every web page that
 * connects), CORS open to every origin (preflight answered), so a page or a service worker can fetch it directly.
 * 404 with {@code {"error":"..."}} for an unknown key and for an app with Web Push off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
class VapidRoutes {

    static final String PATH = "/apps/{appKey}/vapid";

    @Bean
    RouterFunction<ServerResponse> vapidKeyRoute(AppDirectory directory) {
        return route(GET(PATH), request -> latest(request, directory));
    }

    /** Answers preflight requests of any origin for the public key (the response of the GET itself says {@code *} too). */
    @Bean
    WebFluxConfigurer vapidKeyCors() {
        return new WebFluxConfigurer() {
            @Override
            public void addCorsMappings(CorsRegistry registry) {
                registry.addMapping("/apps/*/vapid").allowedOrigins("*").allowedMethods("GET").allowedHeaders("*")
                        .allowCredentials(false).maxAge(Duration.ofDays(1).toSeconds());
            }
        };
    }

    private static Mono<ServerResponse> latest(ServerRequest request, AppDirectory directory) {
        String key = request.pathVariable("appKey");
        return directory.findByKey(key)
                .switchIfEmpty(Mono.error(() -> notFound("No app has the key " + printable(key))))
                .map(app -> {
                    if (!app.enabled()) {
                        throw new PusherApiException(HttpStatus.FORBIDDEN, "App is disabled");
                    }
                    VapidKeyEvent event = app.vapidKey();
                    if (event == null) {
                        throw notFound("Web Push is off for this app: it has no VAPID key (turn it on in the dashboard or with "
                                + "PATCH /api/v1/apps/{appId} {\"features\":{\"webPush\":true}})");
                    }
                    return event.json();
                })
                .flatMap(json -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                        .cacheControl(CacheControl.noCache())
                        .bodyValue(json))
                .onErrorResume(PusherApiException.class, refused -> ServerResponse.status(refused.status())
                        .contentType(MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                        .bodyValue(java.util.Map.of("error", refused.getMessage())))
                .onErrorResume(PusherApiErrors::render);
    }

    private static PusherApiException notFound(String message) {
        return new PusherApiException(HttpStatus.NOT_FOUND, message);
    }

    private static String printable(String key) {
        String shown = key.length() > 64 ? key.substring(0, 64) + "..." : key;
        return shown.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
