/** Cache channels: the last event of a channel, replayed to new subscribers. */
@NullMarked
package dev.vask.realtime.cache;

import org.jspecify.annotations.NullMarked;
