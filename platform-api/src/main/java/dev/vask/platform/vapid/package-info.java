/**
 * Web Push (VAPID) keys: one P-256 pair per app with Web Push on, its private scalar encrypted under the
 * master key; atomic rotation (on demand, and on a schedule that one node at a time performs) that destroys the
 * old pair and, by cascade, every push subscription made with it; the change event clients hear
 * ({@link dev.vask.platform.vapid.VapidChangeEvent}); the management endpoints and the public
 * {@code GET /apps/{app_key}/vapid}. Push subscriptions and delivery live elsewhere and read {@code vapid_keys} themselves.
 */
@NullMarked
package dev.vask.platform.vapid;

import org.jspecify.annotations.NullMarked;
