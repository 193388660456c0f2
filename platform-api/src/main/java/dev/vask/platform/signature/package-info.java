/**
 * Pusher HTTP API request signing: authentication of {@code /apps/**} requests (shared by events,
 * channels and users) and the one error translator of that surface.
 */
@NullMarked
package dev.vask.platform.signature;

import org.jspecify.annotations.NullMarked;
