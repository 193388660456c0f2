package dev.vask.platform.signature;

import org.jspecify.annotations.Nullable;

/**
 * A request to the Pusher HTTP API as the signature sees it: method, the path exactly as received,
 * the normalised query, and the raw body bytes (read only once the signature checked out).
 */
public record PusherRequest(String method, String rawPath, SignedQuery query, byte[] body) {

    /** A query parameter by its lower-case name: the value that was signed. */
    public @Nullable String param(String lowerCaseName) {
        return query.param(lowerCaseName);
    }
}
