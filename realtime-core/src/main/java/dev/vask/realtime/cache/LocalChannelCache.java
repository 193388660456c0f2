package dev.vask.realtime.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.vask.realtime.presence.ChannelKey;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The single-node {@link ChannelCache}. Expired entries are dropped when read and, once {@link #start()}ed,
 * by {@link #evictExpired()} every minute.
 */
public final class LocalChannelCache implements ChannelCache, AutoCloseable {

    private final Map<ChannelKey, CachedEvent> events = new ConcurrentHashMap<>();
    private final Duration timeToLive;
    private final Clock clock;
    private volatile @org.jspecify.annotations.Nullable Disposable eviction;

    public LocalChannelCache(Duration timeToLive, Clock clock) {
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    @Override
    public Mono<Void> put(ChannelKey channel, String event, String dataJson) {
        return Mono.fromRunnable(() -> events.put(channel, new CachedEvent(event, dataJson, clock.millis() + timeToLive.toMillis())));
    }

    @Override
    public Mono<CachedEvent> get(ChannelKey channel) {
        return Mono.fromSupplier(() -> {
            CachedEvent event = events.get(channel);
            if (event != null && event.expiresAtMillis() <= clock.millis()) {
                events.remove(channel, event);
                return null;
            }
            return event;
        });
    }

    /** Drops expired entries every minute until {@link #close()}. */
    public void start() {
        eviction = Flux.interval(Duration.ofMinutes(1)).subscribe(tick -> evictExpired());
    }

    @Override
    public void close() {
        Disposable running = eviction;
        if (running != null) {
            running.dispose();
        }
    }

    public void evictExpired() {
        long now = clock.millis();
        events.values().removeIf(event -> event.expiresAtMillis() <= now);
    }

    int size() {
        return events.size();
    }
}
