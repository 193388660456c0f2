/**
 * The dashboard: sign up, apps, keys, toggles, VAPID, usage and the live debug console, served by
 * the {@code dashboard} role. It calls platform-api services in-process.
 */
@NullMarked
package dev.vask.dashboard;

import org.jspecify.annotations.NullMarked;
