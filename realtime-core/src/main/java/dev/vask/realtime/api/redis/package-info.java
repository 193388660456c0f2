/** The Redis {@link dev.vask.realtime.api.ChannelQueries}: whole-app channel state, read through any node. */
@NullMarked
package dev.vask.realtime.api.redis;

import org.jspecify.annotations.NullMarked;
