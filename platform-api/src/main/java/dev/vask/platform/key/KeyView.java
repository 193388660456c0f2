package dev.vask.platform.key;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An app key and its secret.
 *
 * @param key the public key (in WebSocket URLs and {@code auth_key}); also its id in {@code /keys/{key}}
 * @param secret the secret, shown to developers, admins and owners; null for viewers
 * @param label what the key is for, if set
 * @param active false once revoked
 * @param createdAt when it was created
 * @param revokedAt when it was revoked; null while active
 */
public record KeyView(String key, @Schema(nullable = true, description = "null for viewers") @Nullable String secret,
        @Schema(nullable = true) @Nullable String label, boolean active, Instant createdAt,
        @Schema(nullable = true) @Nullable Instant revokedAt) {

    @Override
    public String toString() {
        return "KeyView[key=" + key + ", secret=****, active=" + active + "]";
    }
}
