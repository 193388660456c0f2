package dev.vask.realtime.cache;

import dev.vask.realtime.presence.ChannelKey;
import reactor.core.publisher.Mono;

/**
 * The last event of each cache channel ({@code cache-}, {@code private-cache-}, {@code presence-cache-},
 * {@code private-encrypted-cache-}), replayed to each new subscriber. Only events published through the
 * HTTP API are kept, never client events.
 */
public interface ChannelCache {

    Mono<Void> put(ChannelKey channel, String event, String dataJson);

    /** The cached event, if one was published within the time to live; empty otherwise. */
    Mono<CachedEvent> get(ChannelKey channel);
}
