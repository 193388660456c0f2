package dev.vask.platform.signature;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * What the Pusher HTTP API answers, before any HTTP front end turns it into bytes: a status, the JSON body (maps,
 * lists, strings and numbers), whether the connection closes after it (the request's body was left unread), and a
 * {@code Retry-After} for refusals the client should retry. WebFlux renders it with its JSON encoder
 * ({@link PusherApiErrors#toServerResponse}), the Netty front door with the same JSON mapper.
 */
public record PusherApiAnswer(HttpStatus status, Object body, boolean closeConnection, @Nullable Duration retryAfter) {

    private static final PusherApiAnswer EMPTY_OK = new PusherApiAnswer(HttpStatus.OK, Map.of(), false, null);

    public static PusherApiAnswer ok(Object body) {
        return body instanceof Map<?, ?> map && map.isEmpty() ? EMPTY_OK : new PusherApiAnswer(HttpStatus.OK, body, false, null);
    }

    /** Retry-After in whole seconds, at least one. */
    public @Nullable String retryAfterSeconds() {
        return retryAfter == null ? null : Long.toString(Math.max(1, retryAfter.toSeconds()));
    }
}
