/** The Redis {@link dev.vask.realtime.presence.PresenceStore}: members across every node, versions cluster-wide. */
@NullMarked
package dev.vask.realtime.presence.redis;

import org.jspecify.annotations.NullMarked;
