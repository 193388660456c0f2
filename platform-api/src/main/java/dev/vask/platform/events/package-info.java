/** Pusher HTTP API: publishing events, batches and server-to-user events. */
@NullMarked
package dev.vask.platform.events;

import org.jspecify.annotations.NullMarked;
