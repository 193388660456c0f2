/** The Redis {@link dev.vask.realtime.cache.ChannelCache}: cache channels' last events, shared by every node. */
@NullMarked
package dev.vask.realtime.cache.redis;

import org.jspecify.annotations.NullMarked;
