package dev.vask.realtime.api;

import dev.vask.realtime.cache.CachedEvent;
import org.jspecify.annotations.Nullable;

/**
 * A channel's state, as the HTTP API reports it.
 *
 * @param name the channel
 * @param subscriptionCount sockets subscribed (0 when unoccupied)
 * @param userCount distinct users, for presence channels; null otherwise
 * @param cache the cached event, for cache channels that have one
 */
public record ChannelInfo(String name, int subscriptionCount, @Nullable Integer userCount, @Nullable CachedEvent cache) {

    public boolean occupied() {
        return subscriptionCount > 0;
    }
}
