/** The Redis {@link dev.vask.realtime.fanout.Bus}: pub/sub, sharded on a Redis Cluster. */
@NullMarked
package dev.vask.realtime.fanout.redis;

import org.jspecify.annotations.NullMarked;
