/**
 * Web Push delivery: push subscriptions bound to the app's VAPID key, RFC 8291 {@code aes128gcm} encryption,
 * RFC 8292 VAPID signing, delivery to push services (bounded, retried, SSRF-guarded), per-app counters, and the
 * Web Push fallback of server-to-user events. Key generation and rotation live in {@code vapid}.
 */
@NullMarked
package dev.vask.platform.push;

import org.jspecify.annotations.NullMarked;
