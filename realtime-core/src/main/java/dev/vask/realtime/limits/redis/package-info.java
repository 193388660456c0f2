/** The Redis {@link dev.vask.realtime.limits.ConnectionQuota}: every node's sockets counted in one hash per app. */
@NullMarked
package dev.vask.realtime.limits.redis;

import org.jspecify.annotations.NullMarked;
