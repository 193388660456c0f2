/** Redis for the cluster tests: the shared test server, dedicated servers that can be stopped, and a Redis Cluster. */
@NullMarked
package dev.vask.testing.redis;

import org.jspecify.annotations.NullMarked;
