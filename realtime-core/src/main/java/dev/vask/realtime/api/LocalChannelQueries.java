package dev.vask.realtime.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.cache.CachedEvent;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.channel.ChannelType;
import dev.vask.realtime.connection.Hub;
import dev.vask.realtime.presence.ChannelKey;
import dev.vask.realtime.presence.PresenceMember;
import dev.vask.realtime.presence.PresenceStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link ChannelQueries} over this node's hub, presence store and channel cache. */
public final class LocalChannelQueries implements ChannelQueries {

    private final Hub hub;
    private final PresenceStore presence;
    private final ChannelCache cache;

    public LocalChannelQueries(Hub hub, PresenceStore presence, ChannelCache cache) {
        this.hub = hub;
        this.presence = presence;
        this.cache = cache;
    }

    @Override
    public Mono<ChannelInfo> channel(AppId app, ChannelName channel) {
        int subscriptions = hub.subscriptionCount(app, channel.value());
        Mono<Integer> users = channel.type() == ChannelType.PRESENCE
                ? presence.members(new ChannelKey(app, channel.value())).map(List::size)
                : Mono.just(-1);
        Mono<Optional<CachedEvent>> cached = channel.cache()
                ? cache.get(new ChannelKey(app, channel.value())).map(Optional::of).defaultIfEmpty(Optional.empty())
                : Mono.just(Optional.empty());
        return Mono.zip(users, cached).map(both -> new ChannelInfo(channel.value(), subscriptions,
                both.getT1() < 0 ? null : both.getT1(), both.getT2().orElse(null)));
    }

    @Override
    public Mono<Map<String, ChannelInfo>> channels(AppId app, @Nullable String prefix) {
        Map<String, Integer> occupied = hub.occupiedChannels(app, prefix);
        return Flux.fromIterable(occupied.entrySet())
                .concatMap(entry -> {
                    boolean isPresence = entry.getKey().startsWith("presence-");
                    Mono<Integer> users = isPresence
                            ? presence.members(new ChannelKey(app, entry.getKey())).map(List::size)
                            : Mono.just(-1);
                    return users.map(count -> new ChannelInfo(entry.getKey(), entry.getValue(), count < 0 ? null : count, null));
                })
                .collect(LinkedHashMap<String, ChannelInfo>::new, (map, info) -> map.put(info.name(), info))
                .map(map -> (Map<String, ChannelInfo>) map);
    }

    @Override
    public Mono<List<String>> users(AppId app, ChannelName presenceChannel) {
        return presence.members(new ChannelKey(app, presenceChannel.value()))
                .map(members -> members.stream().map(PresenceMember::userId).toList());
    }
}
