/** Cluster mode's Redis: the connections every seam shares, node heartbeats and the node's state in Redis. */
@NullMarked
package dev.vask.realtime.cluster.redis;

import org.jspecify.annotations.NullMarked;
