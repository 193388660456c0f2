package dev.vask.realtime.cache.redis;

import java.time.Clock;
import java.time.Duration;

import dev.vask.realtime.cache.CachedEvent;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.cluster.ClusterUnavailableException;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.presence.ChannelKey;
import io.lettuce.core.SetArgs;
import reactor.core.publisher.Mono;

/**
 * The cluster {@link ChannelCache}: each cache channel's last event in Redis ({@code <prefix>cache:{app}:<channel>}),
 * expiring with the channel's time to live, so that a subscriber on any node gets the event published through any node.
 * The value is {@code <expires at millis> <event length>\n<event><data>}.
 */
public final class RedisChannelCache implements ChannelCache {

    private final RedisConnections redis;
    private final Duration timeToLive;
    private final Clock clock;

    public RedisChannelCache(RedisConnections redis, Duration timeToLive, Clock clock) {
        this.redis = redis;
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    @Override
    public Mono<Void> put(ChannelKey channel, String event, String dataJson) {
        long expiresAt = clock.millis() + timeToLive.toMillis();
        String value = expiresAt + " " + event.length() + "\n" + event + dataJson;
        return redis.commands().set(key(channel), value, SetArgs.Builder.px(timeToLive.toMillis())).then()
                .onErrorMap(error -> new ClusterUnavailableException("The cache channel's event could not be kept: " + error.getMessage(), error));
    }

    @Override
    public Mono<CachedEvent> get(ChannelKey channel) {
        return redis.commands().get(key(channel)).mapNotNull(value -> {
            int space = value.indexOf(' ');
            int newline = value.indexOf('\n');
            if (space < 0 || newline < space) {
                return null;
            }
            long expiresAt = Long.parseLong(value.substring(0, space));
            int eventLength = Integer.parseInt(value.substring(space + 1, newline));
            String event = value.substring(newline + 1, newline + 1 + eventLength);
            String data = value.substring(newline + 1 + eventLength);
            return expiresAt <= clock.millis() ? null : new CachedEvent(event, data, expiresAt);
        });
    }

    private String key(ChannelKey channel) {
        return redis.prefix() + "cache:{" + channel.app().value() + "}:" + channel.channel();
    }
}
