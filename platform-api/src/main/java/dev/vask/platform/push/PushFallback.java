package dev.vask.platform.push;

import java.util.List;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.connection.Hub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Web Push fallback of server-to-user events: when the app's {@code push_fallback_enabled} is on and the user
 * has no signed-in connection on any node (the cluster's record of online users, as watchlists use), the event goes
 * to the user's push subscriptions as {@code {"event": name, "data": data}} (TTL 24 h). A user who is connected gets
 * the WebSocket event only. Never fails the event: a fallback that cannot be done is logged and counted as failed.
 */
public final class PushFallback {

    private static final Logger log = LoggerFactory.getLogger(PushFallback.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PushApps apps;
    private final PushSubscriptions subscriptions;
    private final PushDelivery delivery;
    private final Hub hub;
    private final dev.vask.platform.usage.UsageMeter usage;

    PushFallback(PushApps apps, PushSubscriptions subscriptions, PushDelivery delivery, Hub hub, dev.vask.platform.usage.UsageMeter usage) {
        this.apps = apps;
        this.subscriptions = subscriptions;
        this.delivery = delivery;
        this.hub = hub;
        this.usage = usage;
    }

    /** Runs after the event was published to the user; completes when the pushes are queued (or none are due). */
    public Mono<Void> afterUserEvent(AppConfig app, String userId, String event, String data) {
        if (!app.features().webPush()) {
            return Mono.empty();
        }
        return apps.get(app.id())
                .filter(settings -> settings.fallback() && settings.key().isPresent())
                .flatMap(settings -> hub.online(app.id(), List.of(userId)))
                .filter(online -> !online.contains(userId))
                .flatMap(offline -> subscriptions.targets(app.id(), userId).collectList())
                .filter(targets -> !targets.isEmpty())
                .doOnNext(targets -> {
                    ObjectNode envelope = JSON.createObjectNode().put("event", event).put("data", data);
                    byte[] payload = JSON.writeValueAsBytes(envelope);
                    if (payload.length > WebPushCrypto.MAX_PLAINTEXT) {
                        log.atDebug().addKeyValue("appId", app.id()).log("Event too large for a push ({} bytes)", payload.length);
                        usage.recordPushes(app.id(), 0, targets.size(), 0);
                        return;
                    }
                    List<PushMessage> messages = targets.stream()
                            .map(target -> new PushMessage(app.id(), target, payload, PushService.DEFAULT_TTL, null, null)).toList();
                    if (!delivery.offer(messages)) {
                        usage.recordPushes(app.id(), 0, targets.size(), 0);
                    }
                })
                .then()
                .onErrorResume(error -> {
                    log.atWarn().addKeyValue("appId", app.id()).log("Web Push fallback not done: {}", error.toString());
                    return Mono.empty();
                });
    }
}
