package dev.vask.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The second yardstick: the same minimal broadcast server as {@link NaiveNettyBroadcastServer}, written the
 * way a WebFlux application would write it: a {@link WebSocketHandler} per socket with a sink feeding
 * {@code session.send(...)}, and a functional endpoint for {@code POST /apps/{id}/events}. It shows what
 * a WebSocket costs through WebFlux, the transport Vask does not use for sockets.
 * Usage: {@code WebFluxBroadcastServer PORT}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class WebFluxBroadcastServer {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(WebFluxBroadcastServer.class);
        application.setDefaultProperties(Map.of("server.port", args.length > 0 ? args[0] : "6003", "spring.main.banner-mode", "off"));
        application.run();
    }

    @Bean
    Channels channels() {
        return new Channels();
    }

    @Bean
    HandlerMapping pusherSockets(Channels channels) {
        return new SimpleUrlHandlerMapping(Map.of("/app/**", (WebSocketHandler) session -> channels.handle(session)), -1);
    }

    @Bean
    RouterFunction<ServerResponse> events(Channels channels) {
        return RouterFunctions.route()
                .POST("/apps/{id}/events", request -> request.bodyToMono(String.class)
                        .doOnNext(channels::publish)
                        .then(ServerResponse.ok().header("Content-Type", "application/json").bodyValue("{}")))
                .build();
    }

    /** Channel name to its subscribers' outbound sinks. */
    static final class Channels {

        private final Map<String, Set<Subscriber>> channels = new ConcurrentHashMap<>();
        private final AtomicLong sockets = new AtomicLong();

        Mono<Void> handle(WebSocketSession session) {
            Subscriber subscriber = new Subscriber();
            subscriber.emit("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\"1."
                    + sockets.incrementAndGet() + "\\\",\\\"activity_timeout\\\":120}\"}");
            Mono<Void> input = session.receive()
                    .doOnNext(message -> onText(subscriber, message.getPayloadAsText()))
                    .then();
            Mono<Void> output = session.send(subscriber.sink.asFlux().map(session::textMessage));
            return Mono.zip(input, output).then().doFinally(signal -> subscriber.channels.forEach(c -> {
                Set<Subscriber> set = channels.get(c);
                if (set != null) {
                    set.remove(subscriber);
                }
            }));
        }

        private void onText(Subscriber subscriber, String text) {
            JsonNode frame = JSON.readTree(text);
            switch (frame.path("event").asString()) {
                case "pusher:subscribe" -> {
                    String channel = frame.path("data").path("channel").asString();
                    channels.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(subscriber);
                    subscriber.channels.add(channel);
                    subscriber.emit("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":"
                            + JsonText.quote(channel) + ",\"data\":\"{}\"}");
                }
                case "pusher:ping" -> subscriber.emit("{\"event\":\"pusher:pong\",\"data\":{}}");
                default -> { }
            }
        }

        void publish(String body) {
            JsonNode event = JSON.readTree(body);
            String name = event.path("name").asString();
            String data = event.path("data").asString();
            for (JsonNode channel : event.path("channels")) {
                Set<Subscriber> subscribers = channels.get(channel.asString());
                if (subscribers != null) {
                    String frame = "{\"event\":" + JsonText.quote(name) + ",\"channel\":"
                            + JsonText.quote(channel.asString()) + ",\"data\":" + JsonText.quote(data) + "}";
                    subscribers.forEach(s -> s.emit(frame));
                }
            }
        }
    }

    static final class Subscriber {

        final Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
        final List<String> channels = new ArrayList<>(1);

        synchronized void emit(String frame) {
            sink.tryEmitNext(frame);
        }
    }
}
