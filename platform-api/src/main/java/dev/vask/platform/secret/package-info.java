/**
 * Secrets at rest: the master key, AES-256-GCM encryption of app secrets and VAPID private keys,
 * and the start-up check that the master key matches the database.
 */
@NullMarked
package dev.vask.platform.secret;

import org.jspecify.annotations.NullMarked;
