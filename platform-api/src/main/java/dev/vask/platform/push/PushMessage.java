package dev.vask.platform.push;

import dev.vask.realtime.app.AppId;
import org.jspecify.annotations.Nullable;

/**
 * One push to one subscription.
 *
 * @param payload the plaintext (at most {@link WebPushCrypto#MAX_PLAINTEXT} bytes), encrypted per attempt
 * @param ttl seconds the push service may keep it for an offline browser
 * @param urgency {@code very-low}, {@code low}, {@code normal} or {@code high}; null leaves it to the service (normal)
 * @param topic a replacement key of at most 32 base64url characters; null for none
 */
record PushMessage(AppId app, PushSubscriptions.Target target, byte[] payload, int ttl, @Nullable String urgency, @Nullable String topic) {
}
