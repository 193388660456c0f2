/** Presence channels' members: the {@link dev.vask.realtime.presence.PresenceStore} seam. */
@NullMarked
package dev.vask.realtime.presence;

import org.jspecify.annotations.NullMarked;
