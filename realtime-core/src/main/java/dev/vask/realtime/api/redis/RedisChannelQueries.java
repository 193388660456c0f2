package dev.vask.realtime.api.redis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vask.realtime.api.ChannelInfo;
import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.cache.CachedEvent;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.channel.ChannelType;
import dev.vask.realtime.cluster.ClusterUnavailableException;
import dev.vask.realtime.cluster.redis.RedisNodeActivity;
import dev.vask.realtime.presence.ChannelKey;
import dev.vask.realtime.presence.PresenceMember;
import dev.vask.realtime.presence.redis.RedisPresenceStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cluster {@link ChannelQueries}: subscription counts summed over every node's counts in Redis, users from the
 * shared presence store, cached events from the shared cache. Answers are the same through any node; a change on
 * one node shows within the activity flush interval.
 */
public final class RedisChannelQueries implements ChannelQueries {

    private final RedisNodeActivity activity;
    private final RedisPresenceStore presence;
    private final ChannelCache cache;

    public RedisChannelQueries(RedisNodeActivity activity, RedisPresenceStore presence, ChannelCache cache) {
        this.activity = activity;
        this.presence = presence;
        this.cache = cache;
    }

    @Override
    public Mono<ChannelInfo> channel(AppId app, ChannelName channel) {
        ChannelKey key = new ChannelKey(app, channel.value());
        Mono<Integer> users = channel.type() == ChannelType.PRESENCE ? presence.userCount(key) : Mono.just(-1);
        Mono<Optional<CachedEvent>> cached = channel.cache()
                ? cache.get(key).map(Optional::of).defaultIfEmpty(Optional.empty())
                : Mono.just(Optional.empty());
        return Mono.zip(activity.subscriptionCount(app, channel.value()), users, cached)
                .map(all -> new ChannelInfo(channel.value(), all.getT1(), all.getT2() < 0 ? null : all.getT2(), all.getT3().orElse(null)))
                .onErrorMap(RedisChannelQueries::unavailable);
    }

    @Override
    public Mono<Map<String, ChannelInfo>> channels(AppId app, @Nullable String prefix) {
        return activity.occupied(app, prefix)
                .flatMapMany(occupied -> Flux.fromIterable(occupied.entrySet()))
                .concatMap(entry -> {
                    boolean isPresence = entry.getKey().startsWith("presence-");
                    Mono<Integer> users = isPresence ? presence.userCount(new ChannelKey(app, entry.getKey())) : Mono.just(-1);
                    return users.map(count -> new ChannelInfo(entry.getKey(), entry.getValue(), count < 0 ? null : count, null));
                })
                .collect(LinkedHashMap<String, ChannelInfo>::new, (map, info) -> map.put(info.name(), info))
                .map(map -> (Map<String, ChannelInfo>) map)
                .onErrorMap(RedisChannelQueries::unavailable);
    }

    @Override
    public Mono<List<String>> users(AppId app, ChannelName presenceChannel) {
        return presence.members(new ChannelKey(app, presenceChannel.value()))
                .map(members -> members.stream().map(PresenceMember::userId).toList())
                .onErrorMap(RedisChannelQueries::unavailable);
    }

    private static Throwable unavailable(Throwable error) {
        return error instanceof ClusterUnavailableException ? error
                : new ClusterUnavailableException("Channel state is unavailable: Redis did not answer (" + error.getMessage() + ")", error);
    }
}
