package dev.vask.platform.push;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.vask.platform.signature.PusherApiException;
import dev.vask.realtime.app.AppConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Web Push operations of the Pusher-style HTTP API, after authentication: registering and removing a user's
 * subscriptions and pushing to them. Every refusal is a {@link PusherApiException} naming the problem.
 */
public final class PushService {

    /** The largest payload, as serialized JSON: what fits a push message with room for the SDKs' envelope. */
    public static final int MAX_PAYLOAD_BYTES = 3072;
    /** The longest TTL push services keep (28 days); longer values are refused rather than silently cut. */
    static final int MAX_TTL = 28 * 24 * 3600;
    static final int DEFAULT_TTL = 24 * 3600;
    private static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final HttpStatus UNPROCESSABLE = HttpStatus.valueOf(422);

    private final PushApps apps;
    private final PushSubscriptions subscriptions;
    private final PushEndpoints endpoints;
    private final PushDelivery delivery;

    PushService(PushApps apps, PushSubscriptions subscriptions, PushEndpoints endpoints, PushDelivery delivery) {
        this.apps = apps;
        this.subscriptions = subscriptions;
        this.endpoints = endpoints;
        this.delivery = delivery;
    }

    /** What registering answered: stored (created or updated) or the app's current key when the client's is stale. */
    public sealed interface Registered {
        record Stored(boolean created) implements Registered {
        }

        record Stale(String currentKey) implements Registered {
        }
    }

    public Mono<Registered> register(AppConfig app, String userId, byte[] body) {
        JsonNode root = object(body);
        JsonNode subscription = root.get("subscription");
        if (subscription == null || !subscription.isObject()) {
            throw bad("subscription must be the browser's PushSubscription as JSON (subscription.toJSON())");
        }
        String endpointText = string(subscription, "endpoint", "subscription.endpoint");
        var endpoint = guard(() -> endpoints.parse(endpointText), "subscription.endpoint");
        JsonNode keys = subscription.get("keys");
        if (keys == null || !keys.isObject()) {
            throw bad("subscription.keys must be an object with p256dh and auth");
        }
        byte[] p256dh = base64url(string(keys, "p256dh", "subscription.keys.p256dh"), "subscription.keys.p256dh");
        guard(() -> P256.decodePublic(p256dh), "subscription.keys.p256dh");
        byte[] auth = base64url(string(keys, "auth", "subscription.keys.auth"), "subscription.keys.auth");
        if (auth.length != WebPushCrypto.AUTH_SECRET_BYTES) {
            throw bad("subscription.keys.auth must be 16 bytes (22 base64url characters), not " + auth.length + " bytes");
        }
        Instant expires = expirationTime(subscription.get("expirationTime"));
        byte[] key = base64url(string(root, "key", "key"), "key");
        guard(() -> P256.decodePublic(key), "key");
        requireEnabled(app);
        return endpoints.checkAddresses(endpoint)
                .onErrorMap(IllegalArgumentException.class, refused -> bad("subscription.endpoint: " + refused.getMessage()))
                .then(subscriptions.register(app.id(), userId, endpointText, p256dh, auth, expires, P256.base64url(key)))
                .map(result -> switch (result) {
                    case PushSubscriptions.Registration.Stored stored -> new Registered.Stored(stored.created());
                    case PushSubscriptions.Registration.StaleKey stale when stale.currentKey() != null -> new Registered.Stale(stale.currentKey());
                    case PushSubscriptions.Registration.StaleKey none -> throw notEnabled(app);
                    case PushSubscriptions.Registration.TooMany tooMany -> throw new PusherApiException(UNPROCESSABLE, "User " + userId
                            + " already has " + PushSubscriptions.MAX_PER_USER + " push subscriptions in app " + app.id()
                            + ": delete one (DELETE .../push_subscriptions) before adding another");
                });
    }

    /** Removes the subscription with the endpoint given in the body ({@code {"endpoint": ...}}) or the {@code endpoint} query parameter. */
    public Mono<Void> unregister(AppConfig app, String userId, byte[] body, @Nullable String queryEndpoint) {
        String endpoint = queryEndpoint;
        if (endpoint == null) {
            if (body.length == 0) {
                throw bad("Name the subscription to delete: {\"endpoint\": \"...\"} in the body, or the endpoint query parameter");
            }
            JsonNode root = object(body);
            JsonNode subscription = root.get("subscription");
            endpoint = subscription != null && subscription.isObject()
                    ? string(subscription, "endpoint", "subscription.endpoint") : string(root, "endpoint", "endpoint");
        }
        String named = endpoint;
        return subscriptions.delete(app.id(), userId, named).flatMap(deleted -> deleted ? Mono.<Void>empty()
                : Mono.error(new PusherApiException(HttpStatus.NOT_FOUND, "User " + userId + " has no push subscription with this endpoint in app " + app.id())));
    }

    /** Queues a push to every subscription of the user; the number of subscriptions targeted. */
    public Mono<Integer> push(AppConfig app, String userId, byte[] body) {
        JsonNode root = object(body);
        JsonNode payloadNode = root.get("payload");
        if (payloadNode == null) {
            throw bad("payload is required: any JSON value, at most " + MAX_PAYLOAD_BYTES + " bytes serialized");
        }
        byte[] payload = JSON.writeValueAsBytes(payloadNode);
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new PusherApiException(HttpStatus.CONTENT_TOO_LARGE, "payload is " + payload.length + " bytes serialized; a push carries at most "
                    + MAX_PAYLOAD_BYTES);
        }
        int ttl = DEFAULT_TTL;
        JsonNode ttlNode = root.get("ttl");
        if (ttlNode != null && !ttlNode.isNull()) {
            if (!ttlNode.isIntegralNumber() || !ttlNode.canConvertToInt() || ttlNode.asInt() < 0 || ttlNode.asInt() > MAX_TTL) {
                throw bad("ttl must be a whole number of seconds from 0 to " + MAX_TTL);
            }
            ttl = ttlNode.asInt();
        }
        String urgency = optionalString(root, "urgency");
        if (urgency != null && !URGENCIES.contains(urgency)) {
            throw bad("urgency must be one of very-low, low, normal, high");
        }
        String topic = optionalString(root, "topic");
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            throw bad("topic must be 1 to 32 characters of A-Z, a-z, 0-9, - and _");
        }
        requireEnabled(app);
        if (delivery.full()) {
            throw busy();
        }
        int seconds = ttl;
        return apps.get(app.id()).flatMap(settings -> {
            if (settings.key().isEmpty()) {
                return Mono.error(notEnabled(app));
            }
            return subscriptions.targets(app.id(), userId).collectList().flatMap(targets -> {
                if (targets.isEmpty()) {
                    return Mono.error(new PusherApiException(HttpStatus.NOT_FOUND, "User " + userId + " has no push subscriptions in app " + app.id()));
                }
                List<PushMessage> messages = targets.stream().map(target -> new PushMessage(app.id(), target, payload, seconds, urgency, topic)).toList();
                if (!delivery.offer(messages)) {
                    return Mono.error(busy());
                }
                return Mono.just(targets.size());
            });
        });
    }

    private static PusherApiException busy() {
        return new PusherApiException(HttpStatus.SERVICE_UNAVAILABLE, "Too many pushes are waiting on this node right now; retry shortly");
    }

    private static void requireEnabled(AppConfig app) {
        if (!app.features().webPush()) {
            throw notEnabled(app);
        }
    }

    private static PusherApiException notEnabled(AppConfig app) {
        return new PusherApiException(UNPROCESSABLE, "Web Push is not enabled for app " + app.id()
                + ": turn on features.webPush so that the app gets a VAPID key");
    }

    private static @Nullable Instant expirationTime(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() || !node.canConvertToLong()) {
            throw bad("subscription.expirationTime must be null or a time in epoch milliseconds");
        }
        Instant expires = Instant.ofEpochMilli(node.asLong());
        if (!expires.isAfter(Instant.now())) {
            throw bad("subscription.expirationTime has passed: the subscription has expired");
        }
        return expires;
    }

    static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw bad("The request has no body: send JSON");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw bad("The body must be a JSON object");
            }
            return node;
        }
        catch (JacksonException e) {
            throw bad("The body is not valid JSON");
        }
    }

    private static String string(JsonNode node, String field, String name) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw bad(name + " must be a non-empty string");
        }
        return value.asString();
    }

    private static @Nullable String optionalString(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw bad(field + " must be a string");
        }
        return value.asString();
    }

    private static byte[] base64url(String text, String name) {
        try {
            return P256.fromBase64url(text);
        }
        catch (IllegalArgumentException e) {
            throw bad(name + " must be base64url (A-Z, a-z, 0-9, - and _, padding optional)");
        }
    }

    private static <T> T guard(java.util.function.Supplier<T> check, String name) {
        try {
            return check.get();
        }
        catch (IllegalArgumentException e) {
            throw bad(name + ": " + e.getMessage());
        }
    }

    private static PusherApiException bad(String message) {
        return PusherApiException.badRequest(message);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
