package dev.vask.realtime.app;

import java.util.Objects;

/**
 * One active (not revoked) key/secret pair of an app. The key is public (it is in the WebSocket URL);
 * the secret signs channel auth, user sign-in and HTTP API requests and never leaves the server.
 */
public record AppCredential(String key, String secret) {

    public AppCredential {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
    }

    /** Never prints the secret: records end up in logs and exception messages. */
    @Override
    public String toString() {
        return "AppCredential[key=" + key + ", secret=****]";
    }
}
