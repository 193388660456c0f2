package dev.vask.platform.push;

import java.util.Optional;

/**
 * What delivery needs to know about an app, read from Postgres and cached until the app or its key changes.
 *
 * @param key the current VAPID key; empty when the app has none (Web Push is not set up)
 * @param subject the VAPID {@code sub}: the app's {@code vapid_subject}, else {@code vask.push.subject}
 * @param fallback whether server-to-user events fall back to Web Push for users without an open connection
 */
record PushApp(Optional<VapidKey> key, String subject, boolean fallback) {
}
