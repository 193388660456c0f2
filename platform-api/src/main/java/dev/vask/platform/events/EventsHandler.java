package dev.vask.platform.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.vask.platform.channels.InfoAttributes;
import dev.vask.platform.push.PushFallback;
import dev.vask.platform.signature.AuthenticatedRequest;
import dev.vask.platform.signature.PusherApiAnswer;
import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.platform.signature.PusherApiErrors;
import dev.vask.platform.signature.PusherApiException;
import dev.vask.platform.usage.UsageMeter;
import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.capacity.AdmissionControl;
import dev.vask.realtime.capacity.Overload;
import dev.vask.realtime.metrics.AppTrafficMeters;
import dev.vask.realtime.reactive.Immediate;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.cluster.ClusterUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /apps/{app}/events}, {@code /batch_events} and {@code /users/{user_id}/events}: validate
 * everything, count the messages against the app's daily quota, then publish through realtime's one
 * publish path. Nothing is published when anything is invalid. While the server is short of memory or file
 * descriptors ({@link AdmissionControl}), every publish is refused with 503 and {@code Retry-After} before anything
 * of it is read.
 */
final class EventsHandler {

    private final PusherApiAuthentication authentication;
    private final RealtimeEvents events;
    private final ChannelQueries channels;
    private final UsageMeter usage;
    private final PushFallback pushFallback;
    private final AdmissionControl admission;
    private final AppTrafficMeters traffic;

    EventsHandler(PusherApiAuthentication authentication, RealtimeEvents events, ChannelQueries channels, UsageMeter usage,
            PushFallback pushFallback, AdmissionControl admission, AppTrafficMeters traffic) {
        this.authentication = authentication;
        this.events = events;
        this.channels = channels;
        this.usage = usage;
        this.pushFallback = pushFallback;
        this.admission = admission;
        this.traffic = traffic;
    }

    Mono<ServerResponse> events(ServerRequest request) {
        return handle(request, this::events);
    }

    Mono<ServerResponse> batch(ServerRequest request) {
        return handle(request, this::batch);
    }

    /** {@code /events} once the request is authenticated and its body read, for any HTTP front end. */
    Mono<PusherApiAnswer> events(AuthenticatedRequest auth) {
        byte[] body = auth.request().body();
        PublishRequest event = EventParser.event(EventParser.body(body), auth.app(), "", () -> RawData.ofEvent(body));
        Mono<Void> published = publish(auth.app(), List.of(event));
        if (event.info().isEmpty()) {
            return Immediate.thenReturn(published, PusherApiAnswer.ok(Map.of()));
        }
        return published.then(info(auth.app(), event).map(counts -> PusherApiAnswer.ok(Map.of("channels", counts))));
    }

    /** {@code /batch_events} once the request is authenticated and its body read, for any HTTP front end. */
    Mono<PusherApiAnswer> batch(AuthenticatedRequest auth) {
        byte[] body = auth.request().body();
        JsonNode batch = EventParser.body(body).get("batch");
        if (batch == null || !batch.isArray() || batch.isEmpty() || batch.size() > EventParser.MAX_BATCH) {
            throw PusherApiException.badRequest("batch must be an array of 1 to " + EventParser.MAX_BATCH + " events");
        }
        List<PublishRequest> parsed = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode item = batch.get(i);
            String where = "batch[" + i + "]: ";
            if (item.isObject() && item.has("channels")) {
                throw PusherApiException.badRequest(where + "batch events take a single channel");
            }
            int index = i;
            parsed.add(EventParser.event(item, auth.app(), where, () -> RawData.ofBatchItem(body, index)));
        }
        boolean anyInfo = false;
        for (PublishRequest event : parsed) {
            anyInfo |= !event.info().isEmpty();
        }
        Mono<Void> published = publish(auth.app(), parsed);
        if (!anyInfo) {
            return Immediate.thenReturn(published, PusherApiAnswer.ok(Map.of()));
        }
        return published.then(Flux.fromIterable(parsed)
                        .concatMap(event -> event.info().isEmpty() ? Mono.just(Map.<String, Object>of())
                                : info(auth.app(), event).map(counts -> counts.values().iterator().next()))
                        .collectList()
                        .map(items -> PusherApiAnswer.ok(Map.of("batch", items))));
    }

    Mono<ServerResponse> toUser(ServerRequest request) {
        return handle(request, auth -> {
            String userId = request.pathVariable("userId");
            ChannelName channel = ChannelName.parse(ChannelName.SERVER_TO_USER_PREFIX + userId)
                    .orElseThrow(() -> PusherApiException.badRequest("Invalid user id: use A-Z, a-z, 0-9 and _ - = @ , . ;"));
            JsonNode body = EventParser.body(auth.request().body());
            if (body.has("channel") || body.has("channels")) {
                throw PusherApiException.badRequest("Server-to-user events go to the user in the path; remove channel");
            }
            PublishRequest event = EventParser.event(((tools.jackson.databind.node.ObjectNode) body.deepCopy()).put("channel", channel.value()),
                    auth.app(), "", () -> RawData.ofEvent(auth.request().body()));
            // a user with no open connection anywhere gets it as a Web Push when the app has the fallback on
            return publish(auth.app(), List.of(event))
                    .then(pushFallback.afterUserEvent(auth.app(), userId, event.name(), event.data()))
                    .then(Mono.just(PusherApiAnswer.ok(Map.of())));
        });
    }

    private Mono<Void> publish(AppConfig app, List<PublishRequest> batch) {
        int messages = 0;
        for (PublishRequest event : batch) {
            messages += event.channels().size();
        }
        int total = messages;
        return Immediate.flatMap(usage.tryConsumeMessages(app, total), allowed -> {
            if (!allowed) {
                return Mono.error(new PusherApiException(HttpStatus.TOO_MANY_REQUESTS, "Message quota exceeded: app " + app.id()
                        + " may send " + app.limits().maxMessagesPerDay() + " messages per day (UTC)"));
            }
            traffic.of(app.id()).apiMessages(total);
            Mono<Void> triggered = batch.size() == 1 ? trigger(app, batch.get(0)) : Immediate.concat(batch, event -> trigger(app, event));
            return Immediate.onErrorMap(triggered, ClusterUnavailableException.class, EventsHandler::notDelivered);
        });
    }

    private Mono<Void> trigger(AppConfig app, PublishRequest event) {
        return events.trigger(app.id(), event.channels(), event.name(), event.data(), event.socketId());
    }

    /**
     * The cluster's Redis did not take the event: 503 (the SDKs retry), never 200 for an event that was dropped.
     * Events of a batch before the failing one may have been delivered; the SDKs' retry may repeat them.
     */
    static PusherApiException notDelivered(ClusterUnavailableException error) {
        return new PusherApiException(HttpStatus.SERVICE_UNAVAILABLE,
                "The event was not delivered: Vask cannot reach its Redis right now. Retry shortly.");
    }

    /** Counts per channel, read independently of the delivery (a snapshot). */
    private Mono<Map<String, Object>> info(AppConfig app, PublishRequest event) {
        return Flux.fromIterable(event.channels())
                .concatMap(channel -> channels.channel(app.id(), channel).map(state -> {
                    Map<String, Object> attributes = new LinkedHashMap<>();
                    if (event.info().contains(InfoAttributes.USER_COUNT)) {
                        attributes.put("user_count", state.userCount() == null ? 0 : state.userCount());
                    }
                    if (event.info().contains(InfoAttributes.SUBSCRIPTION_COUNT)) {
                        attributes.put("subscription_count", state.subscriptionCount());
                    }
                    return Map.entry(channel.value(), attributes);
                }))
                .collect(LinkedHashMap<String, Object>::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()))
                .map(map -> (Map<String, Object>) map)
                .onErrorMap(ClusterUnavailableException.class, error -> new PusherApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        "The event was delivered, but its channels' counts cannot be read right now: Vask cannot reach its Redis"));
    }

    /**
     * Admission first (a server short of memory reads nothing more of the request), then authentication: an
     * unsigned request is a 401 whatever its content type.
     */
    private Mono<ServerResponse> handle(ServerRequest request, Function<AuthenticatedRequest, Mono<PusherApiAnswer>> work) {
        Optional<Overload> overload = admission.admitPublish();
        if (overload.isPresent()) {
            return PusherApiErrors.overloaded(overload.get(), admission.retryAfter());
        }
        return authentication.respond(request, auth -> {
            PusherApiAuthentication.requireJson(request.headers().asHttpHeaders().getFirst(HttpHeaders.CONTENT_TYPE));
            return work.apply(auth).flatMap(PusherApiErrors::toServerResponse);
        });
    }
}
