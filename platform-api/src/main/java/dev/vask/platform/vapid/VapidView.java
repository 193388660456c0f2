package dev.vask.platform.vapid;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An app's Web Push settings and current VAPID key, as the management API and the dashboard show them.
 *
 * @param webPush whether Web Push is on (turn it on or off with {@code PATCH /api/v1/apps/{appId}} and
 *        {@code features.webPush}); the key fields are null while it is off
 * @param publicKey the current public key, URL-safe base64 without padding (the {@code applicationServerKey} browsers subscribe with)
 * @param createdAt when the current key was made
 * @param nextRotationAt when the schedule replaces it: {@code createdAt + rotationPeriod}
 * @param rotationPeriod how long a key lives, as an ISO-8601 duration ({@code P30D})
 * @param subject the contact push services see in the VAPID JWT's {@code sub} ({@code mailto:} or {@code https:}), or null
 */
public record VapidView(
        boolean webPush,
        @Schema(nullable = true, example = "BKILjh0SzTiHOZ5P_sfduv-iqtOg_S18nR7ePcjnDivJaOY6nOG1L3OmvjXjNnthlRDdVnawl1_owfdPCvmDt5U")
        @Nullable String publicKey,
        @Schema(nullable = true) @Nullable Instant createdAt,
        @Schema(nullable = true) @Nullable Instant nextRotationAt,
        @Schema(example = "P30D") String rotationPeriod,
        @Schema(nullable = true, example = "mailto:push@example.com") @Nullable String subject) {
}
