package dev.vask.realtime.cluster.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.cluster.NodeId;
import dev.vask.realtime.connection.Hub;
import dev.vask.realtime.connection.NodeActivity;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.presence.ChannelKey;
import dev.vask.realtime.protocol.OutboundFrames;
import dev.vask.realtime.protocol.PusherEvents;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * This node's activity, written to Redis so that whole-app answers count every node:
 * <ul>
 * <li>subscription counts, per channel and node ({@code <prefix>subs:{app}:<channel>}, node → count, and the set of the
 *     app's channels {@code <prefix>chans:{app}}), written at most every {@code flushInterval} per channel (a burst of
 *     subscribes is one write) and at once before a {@code subscription_count} is announced;</li>
 * <li>signed-in users ({@code <prefix>online:{app}}, user → number of nodes where it is signed in, and the node's own
 *     set {@code <prefix>online:{app}:<node>}): a user is online while any node has it; watchlist news goes to every
 *     node on the app's {@code #watchlist} bus channel.</li>
 * </ul>
 * All keys of an app share its hash tag, so each change is one script on one shard.
 */
public final class RedisNodeActivity implements NodeActivity, NodeState, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisNodeActivity.class);

    /** KEYS: chans. ARGV: subs key prefix, node, then channel/count pairs to set (0 removes); 'replace' as ARGV[3] first drops the node's other channels. */
    private static final RedisScript SET_COUNTS = new RedisScript("""
            local base, node = ARGV[1], ARGV[2]
            local first = 3
            local keep = nil
            if ARGV[3] == 'replace' then
              first = 4
              keep = {}
              for i = 4, #ARGV, 2 do keep[ARGV[i]] = true end
              for _, channel in ipairs(redis.call('SMEMBERS', KEYS[1])) do
                if not keep[channel] then
                  redis.call('HDEL', base .. channel, node)
                  if redis.call('HLEN', base .. channel) == 0 then redis.call('SREM', KEYS[1], channel) end
                end
              end
            end
            for i = first, #ARGV, 2 do
              local channel, count = ARGV[i], tonumber(ARGV[i + 1])
              if count > 0 then
                redis.call('HSET', base .. channel, node, count)
                redis.call('SADD', KEYS[1], channel)
              else
                redis.call('HDEL', base .. channel, node)
                if redis.call('HLEN', base .. channel) == 0 then redis.call('SREM', KEYS[1], channel) end
              end
            end
            return 1
            """, ScriptOutputType.INTEGER);

    /** KEYS: chans. ARGV: subs key prefix, name prefix (may be empty). Returns {channel, count, ...} of occupied channels. */
    private static final RedisScript OCCUPIED = new RedisScript("""
            local out = {}
            for _, channel in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if string.sub(channel, 1, 1) ~= '#' and string.sub(channel, 1, #ARGV[2]) == ARGV[2] then
                local total = 0
                for _, count in ipairs(redis.call('HVALS', ARGV[1] .. channel)) do total = total + tonumber(count) end
                if total > 0 then
                  out[#out + 1] = channel
                  out[#out + 1] = total
                end
              end
            end
            return out
            """, ScriptOutputType.MULTI);

    /** KEYS: online, node's online set. ARGV: user, +1 or -1. Returns the user's node count after, or -1 when nothing changed. */
    private static final RedisScript SIGNED = new RedisScript("""
            if ARGV[2] == '1' then
              if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return -1 end
              return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            end
            if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return -1 end
            local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
            if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) return 0 end
            return n
            """, ScriptOutputType.INTEGER);

    /**
     * KEYS: online, node's online set. ARGV: the users the node has now (none when it is dead). Makes the set so;
     * returns {users who came online anywhere, users who went offline anywhere}.
     */
    private static final RedisScript ASSERT_ONLINE = new RedisScript("""
            local want = {}
            for i = 1, #ARGV do want[ARGV[i]] = true end
            local cameOnline, wentOffline = {}, {}
            for _, user in ipairs(redis.call('SMEMBERS', KEYS[2])) do
              if want[user] then
                want[user] = nil
              else
                redis.call('SREM', KEYS[2], user)
                if redis.call('HINCRBY', KEYS[1], user, -1) <= 0 then
                  redis.call('HDEL', KEYS[1], user)
                  wentOffline[#wentOffline + 1] = user
                end
              end
            end
            for user, _ in pairs(want) do
              redis.call('SADD', KEYS[2], user)
              if redis.call('HINCRBY', KEYS[1], user, 1) == 1 then cameOnline[#cameOnline + 1] = user end
            end
            return {cameOnline, wentOffline}
            """, ScriptOutputType.MULTI);

    private final RedisConnections redis;
    private final NodeId node;
    private final Hub hub;
    private final Bus bus;
    private final String prefix;
    private final Set<ChannelKey> dirty = ConcurrentHashMap.newKeySet();
    private final Set<AppId> knownApps = ConcurrentHashMap.newKeySet();
    private final Disposable flushing;

    public RedisNodeActivity(RedisConnections redis, NodeId node, Hub hub, Bus bus, Duration flushInterval) {
        this.redis = redis;
        this.node = node;
        this.hub = hub;
        this.bus = bus;
        this.prefix = redis.prefix();
        this.flushing = Flux.interval(flushInterval, flushInterval)
                .onBackpressureDrop()
                .concatMap(tick -> flushDirty().onErrorResume(error -> Mono.empty()), 1)
                .subscribe();
    }

    // ---- subscription counts ----

    @Override
    public void subscriptionsChanged(AppId app, String channel) {
        dirty.add(new ChannelKey(app, channel));
    }

    @Override
    public void announceSubscriptionCount(AppId app, String channel, int countOnThisNode) {
        ChannelKey key = new ChannelKey(app, channel);
        dirty.remove(key);
        writeCounts(app, Map.of(channel, hub.subscriptionCount(app, channel)), false)
                .then(subscriptionCount(app, channel))
                .filter(total -> total > 0)
                .flatMap(total -> bus.publish(new ChannelEvent(app, channel, PusherEvents.SUBSCRIPTION_COUNT,
                        OutboundFrames.subscriptionCountData(total), null, null)))
                .subscribe(null, error -> log.atDebug().addKeyValue("appId", app).log("subscription_count not announced: {}", error.getMessage()));
    }

    /** Sockets subscribed to the channel on every node. */
    public Mono<Integer> subscriptionCount(AppId app, String channel) {
        return redis.commands().hvals(subsPrefix(app) + channel).map(Integer::parseInt).reduce(0, Integer::sum);
    }

    /** The app's occupied channels (internal ones excluded) with their counts on every node, optionally by name prefix. */
    public Mono<Map<String, Integer>> occupied(AppId app, @Nullable String namePrefix) {
        return OCCUPIED.<List<Object>>run(redis.commands(), new String[] {chans(app)}, subsPrefix(app), namePrefix == null ? "" : namePrefix)
                .map(flat -> {
                    Map<String, Integer> channels = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < flat.size(); i += 2) {
                        channels.put((String) flat.get(i), ((Long) flat.get(i + 1)).intValue());
                    }
                    return channels;
                })
                .defaultIfEmpty(Map.of());
    }

    private Mono<Void> flushDirty() {
        if (dirty.isEmpty()) {
            return Mono.empty();
        }
        Map<AppId, Map<String, Integer>> byApp = new LinkedHashMap<>();
        for (ChannelKey key : List.copyOf(dirty)) {
            dirty.remove(key);
            byApp.computeIfAbsent(key.app(), app -> new LinkedHashMap<>()).put(key.channel(), hub.subscriptionCount(key.app(), key.channel()));
        }
        return Flux.fromIterable(byApp.entrySet())
                .concatMap(entry -> writeCounts(entry.getKey(), entry.getValue(), false).onErrorResume(error -> {
                    dirty.addAll(entry.getValue().keySet().stream().map(channel -> new ChannelKey(entry.getKey(), channel)).toList());
                    return Mono.empty();
                }))
                .then();
    }

    private Mono<Void> writeCounts(AppId app, Map<String, Integer> counts, boolean replace) {
        List<String> args = new ArrayList<>();
        args.add(subsPrefix(app));
        args.add(node.toString());
        if (replace) {
            args.add("replace");
        }
        counts.forEach((channel, count) -> {
            args.add(channel);
            args.add(Integer.toString(count));
        });
        return remember(app).then(SET_COUNTS.run(redis.commands(), new String[] {chans(app)}, args.toArray(String[]::new))).then();
    }

    // ---- signed-in users ----

    @Override
    public void userSignedIn(AppId app, String userId) {
        signed(app, userId, 1);
    }

    @Override
    public void userSignedOut(AppId app, String userId) {
        signed(app, userId, -1);
    }

    private void signed(AppId app, String userId, int delta) {
        remember(app)
                .then(SIGNED.<Long>run(redis.commands(), new String[] {online(app), onlineHere(app, node.value())}, userId, Integer.toString(delta)))
                .flatMap(after -> (delta > 0 && after == 1) || (delta < 0 && after == 0) ? announce(app, userId, delta > 0) : Mono.empty())
                .subscribe(null, error -> log.atDebug().addKeyValue("appId", app).log("Sign-in not recorded: {}", error.getMessage()));
    }

    @Override
    public Mono<Set<String>> online(AppId app, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Mono.just(Set.of());
        }
        return redis.commands().hmget(online(app), userIds.toArray(String[]::new))
                .filter(value -> value.hasValue() && Long.parseLong(value.getValue()) > 0)
                .map(io.lettuce.core.KeyValue::getKey)
                .collect(HashSet::new, Set::add);
    }

    private Mono<Void> announce(AppId app, String userId, boolean online) {
        return bus.publish(new ChannelEvent(app, ChannelName.WATCHLIST, online ? Hub.WATCHLIST_ONLINE : Hub.WATCHLIST_OFFLINE, userId, null, null));
    }

    @SuppressWarnings("unchecked")
    private Mono<Void> assertOnline(AppId app, long nodeId, List<String> users) {
        return ASSERT_ONLINE.<List<Object>>run(redis.commands(), new String[] {online(app), onlineHere(app, nodeId)}, users.toArray(String[]::new))
                .flatMapMany(reply -> Flux.concat(
                        Flux.fromIterable((List<Object>) reply.get(0)).concatMap(user -> announce(app, (String) user, true)),
                        Flux.fromIterable((List<Object>) reply.get(1)).concatMap(user -> announce(app, (String) user, false))))
                .then();
    }

    // ---- the node's part ----

    @Override
    public Mono<Void> reassert() {
        Map<AppId, Map<String, Integer>> counts = hub.subscriptionCounts();
        Map<AppId, List<String>> users = hub.signedInUsers();
        Set<AppId> apps = new HashSet<>(knownApps);
        apps.addAll(counts.keySet());
        apps.addAll(users.keySet());
        return redis.commands().smembers(apps(node.value())).map(id -> new AppId(Long.parseLong(id)))
                .collectList()
                .flatMapMany(stored -> {
                    apps.addAll(stored);
                    return Flux.fromIterable(apps);
                })
                .concatMap(app -> writeCounts(app, counts.getOrDefault(app, Map.of()), true)
                        .then(assertOnline(app, node.value(), users.getOrDefault(app, List.of()))))
                .then();
    }

    @Override
    public Mono<Void> removeNode(long nodeId) {
        String dead = Long.toString(nodeId);
        return redis.commands().smembers(apps(nodeId))
                .map(id -> new AppId(Long.parseLong(id)))
                .concatMap(app -> SET_COUNTS.run(redis.commands(), new String[] {chans(app)}, subsPrefix(app), dead, "replace")
                        .then(assertOnline(app, nodeId, List.of())))
                .then(redis.commands().del(apps(nodeId)))
                .then();
    }

    private Mono<Void> remember(AppId app) {
        return knownApps.add(app) ? redis.commands().sadd(apps(node.value()), Long.toString(app.value())).then() : Mono.empty();
    }

    @Override
    public void close() {
        flushing.dispose();
    }

    private String subsPrefix(AppId app) {
        return prefix + "subs:{" + app.value() + "}:";
    }

    private String chans(AppId app) {
        return prefix + "chans:{" + app.value() + "}";
    }

    private String online(AppId app) {
        return prefix + "online:{" + app.value() + "}";
    }

    private String onlineHere(AppId app, long nodeId) {
        return prefix + "online:{" + app.value() + "}:" + nodeId;
    }

    private String apps(long nodeId) {
        return prefix + "node:" + nodeId + ":apps";
    }
}
