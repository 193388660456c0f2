package dev.vask.platform.token;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A personal access token, without its value (which is shown only once, at creation).
 *
 * @param id used to revoke it
 * @param name what it is for
 * @param hint the token's first characters, to recognise it
 * @param scopes {@code read}, {@code write}
 * @param createdAt when it was created
 * @param expiresAt when it stops working; null for never
 * @param lastUsedAt when it was last used (to the minute); null if never
 * @param revokedAt when it was revoked; null while active
 */
public record TokenView(long id, String name, String hint, List<String> scopes, Instant createdAt,
        @Schema(nullable = true) @Nullable Instant expiresAt, @Schema(nullable = true) @Nullable Instant lastUsedAt,
        @Schema(nullable = true) @Nullable Instant revokedAt) {
}
