package dev.vask.realtime.presence.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.cluster.NodeId;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.cluster.redis.RedisScript;
import dev.vask.realtime.presence.ChannelKey;
import dev.vask.realtime.presence.JoinResult;
import dev.vask.realtime.presence.PresenceMember;
import dev.vask.realtime.presence.PresenceStore;
import io.lettuce.core.ScriptOutputType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cluster {@link PresenceStore}: each presence channel's members in Redis, shared by every node, changed
 * only by Lua scripts (one shard per channel: its keys share the hash tag {@code {app:channel}}). A user is a
 * member while any of its sockets on any node is subscribed; socket ids name their node, so the sockets of a
 * node that died can be found and removed ({@link #removeSocketsOf}).
 *
 * <p>Versions are cluster-wide: each change takes {@code max(last + 1, Redis TIME in microseconds)}, so they grow
 * across nodes, and still grow after Redis lost its data.
 *
 * <p>Keys, under {@code <prefix>p:{app:channel}}: {@code :u} members in join order (sorted set, score = version of
 * the join), {@code :i} user_info by user, {@code :s} user by socket, {@code :n} sockets per user, {@code :v} the
 * last version (kept a day after the channel empties). Each node also lists, in {@code <prefix>node:<id>:presence},
 * the channels it has members in, for whoever removes it after its death.
 */
public final class RedisPresenceStore implements PresenceStore {

    private static final String VERSION = """
            local function nextVersion(key)
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local v = math.max(tonumber(redis.call('GET', key) or '0') + 1, now)
              local text = string.format('%.0f', v)
              redis.call('SET', key, text, 'EX', 86400)
              return text
            end
            local function members()
              local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
              local out = {}
              if #ids > 0 then
                local infos = redis.call('HMGET', KEYS[2], unpack(ids))
                for i, id in ipairs(ids) do
                  out[#out + 1] = id
                  out[#out + 1] = infos[i] or 'null'
                end
              end
              return out
            end
            local function forget(user)
              redis.call('HDEL', KEYS[4], user)
              redis.call('ZREM', KEYS[1], user)
              redis.call('HDEL', KEYS[2], user)
            end
            local function cleanUp()
              if redis.call('ZCARD', KEYS[1]) == 0 then
                redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
              end
            end
            """;

    /** ARGV: user, user_info, socket, max members. Returns {accepted, new member, version, {user, info, ...}}. */
    private static final RedisScript JOIN = new RedisScript(VERSION + """
            if redis.call('HGET', KEYS[3], ARGV[3]) then
              return {1, 0, redis.call('GET', KEYS[5]) or '0', members()}
            end
            if redis.call('HEXISTS', KEYS[4], ARGV[1]) == 0 and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
              return {0, 0, '0', {}}
            end
            redis.call('HSET', KEYS[3], ARGV[3], ARGV[1])
            if redis.call('HINCRBY', KEYS[4], ARGV[1], 1) == 1 then
              local v = nextVersion(KEYS[5])
              redis.call('ZADD', KEYS[1], v, ARGV[1])
              redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
              return {1, 1, v, members()}
            end
            return {1, 0, redis.call('GET', KEYS[5]) or '0', members()}
            """, ScriptOutputType.MULTI);

    /** ARGV: user, socket. Returns the version of the user's departure, or '0' while it has other sockets. */
    private static final RedisScript LEAVE = new RedisScript(VERSION + """
            if redis.call('HGET', KEYS[3], ARGV[2]) ~= ARGV[1] then
              return '0'
            end
            redis.call('HDEL', KEYS[3], ARGV[2])
            if redis.call('HINCRBY', KEYS[4], ARGV[1], -1) > 0 then
              return '0'
            end
            forget(ARGV[1])
            local v = nextVersion(KEYS[5])
            cleanUp()
            return v
            """, ScriptOutputType.VALUE);

    /** Returns {user, info, ...} in join order. */
    private static final RedisScript MEMBERS = new RedisScript(VERSION + "return members()", ScriptOutputType.MULTI);

    /** ARGV: node's socket id prefix, then the sockets to keep. Removes the node's other sockets; returns {user, version, ...} of users gone. */
    private static final RedisScript REMOVE_SOCKETS = new RedisScript(VERSION + """
            local keep = {}
            for i = 2, #ARGV do keep[ARGV[i]] = true end
            local sockets = redis.call('HGETALL', KEYS[3])
            local gone = {}
            for i = 1, #sockets, 2 do
              local socket, user = sockets[i], sockets[i + 1]
              if string.sub(socket, 1, #ARGV[1]) == ARGV[1] and not keep[socket] then
                redis.call('HDEL', KEYS[3], socket)
                if redis.call('HINCRBY', KEYS[4], user, -1) <= 0 then
                  forget(user)
                  gone[#gone + 1] = user
                  gone[#gone + 1] = nextVersion(KEYS[5])
                end
              end
            end
            cleanUp()
            return gone
            """, ScriptOutputType.MULTI);

    private final RedisConnections redis;
    private final NodeId node;
    private final String prefix;
    /** What this node asserted: its sockets' memberships, to write again after Redis lost them. */
    private final Map<ChannelKey, Map<String, PresenceMember>> local = new ConcurrentHashMap<>();

    public RedisPresenceStore(RedisConnections redis, NodeId node) {
        this.redis = redis;
        this.node = node;
        this.prefix = redis.prefix();
    }

    /** A user who left a channel because the node holding its last socket there died or lost it. */
    public record Departure(ChannelKey channel, String userId, long version) {
    }

    @Override
    public Mono<JoinResult> join(ChannelKey channel, PresenceMember member, String socketId, int maxMembers) {
        return JOIN.<List<Object>>run(redis.commands(), keys(channel), member.userId(), member.userInfoJson(), socketId,
                        Integer.toString(maxMembers))
                .map(RedisPresenceStore::joinResult)
                .doOnNext(result -> {
                    if (result.accepted()) {
                        local.computeIfAbsent(channel, key -> new ConcurrentHashMap<>()).put(socketId, member);
                        redis.commands().sadd(nodeChannels(node.value()), channel.app().value() + ":" + channel.channel())
                                .subscribe(null, error -> { });
                    }
                });
    }

    @Override
    public Mono<Long> leave(ChannelKey channel, String userId, String socketId) {
        local.computeIfPresent(channel, (key, sockets) -> {
            sockets.remove(socketId);
            return sockets.isEmpty() ? null : sockets;
        });
        return LEAVE.<String>run(redis.commands(), keys(channel), userId, socketId).map(Long::parseLong);
    }

    @Override
    public Mono<List<PresenceMember>> members(ChannelKey channel) {
        return MEMBERS.<List<Object>>run(redis.commands(), keys(channel)).map(RedisPresenceStore::members)
                .defaultIfEmpty(List.of());
    }

    /** Distinct users on the channel, on every node. */
    public Mono<Integer> userCount(ChannelKey channel) {
        return redis.commands().zcard(keys(channel)[0]).map(Long::intValue);
    }

    /**
     * Removes every socket of {@code nodeId} (a dead node, or this one on start-up after a restart with the same
     * id) from every channel it had members in; emits the users who left with it.
     */
    public Flux<Departure> removeSocketsOf(long nodeId) {
        String set = nodeChannels(nodeId);
        return redis.commands().smembers(set)
                .concatMap(entry -> {
                    ChannelKey channel = channelOf(entry);
                    return channel == null ? Flux.empty() : removeSockets(channel, nodeId + ".", Set.of());
                })
                .concatWith(redis.commands().del(set).then(Mono.empty()));
    }

    /**
     * Writes this node's memberships again (after Redis came back, possibly empty) without announcing them, and
     * removes this node's sockets Redis still lists but this node no longer has (their leave failed during the
     * outage): those users are emitted, to be announced as gone.
     */
    public Flux<Departure> reassert() {
        String nodePrefix = node.socketIdPrefix();
        Set<ChannelKey> channels = new java.util.HashSet<>(local.keySet());
        return redis.commands().smembers(nodeChannels(node.value()))
                .mapNotNull(RedisPresenceStore::channelOf)
                .collectList()
                .flatMapMany(known -> {
                    channels.addAll(known);
                    return Flux.fromIterable(channels);
                })
                .concatMap(channel -> {
                    Map<String, PresenceMember> sockets = local.getOrDefault(channel, Map.of());
                    Flux<Departure> stale = removeSockets(channel, nodePrefix, sockets.keySet());
                    Mono<Void> rejoin = Flux.fromIterable(Map.copyOf(sockets).entrySet())
                            .concatMap(socket -> JOIN.run(redis.commands(), keys(channel), socket.getValue().userId(),
                                    socket.getValue().userInfoJson(), socket.getKey(), Integer.toString(Integer.MAX_VALUE)))
                            .then(sockets.isEmpty() ? Mono.empty()
                                    : redis.commands().sadd(nodeChannels(node.value()), channel.app().value() + ":" + channel.channel()).then());
                    return stale.concatWith(rejoin.then(Mono.empty()));
                });
    }

    private Flux<Departure> removeSockets(ChannelKey channel, String socketPrefix, Set<String> keep) {
        String[] args = new String[keep.size() + 1];
        args[0] = socketPrefix;
        int i = 1;
        for (String socket : keep) {
            args[i++] = socket;
        }
        return REMOVE_SOCKETS.<List<Object>>run(redis.commands(), keys(channel), args)
                .flatMapIterable(gone -> {
                    List<Departure> departures = new ArrayList<>();
                    for (int j = 0; j + 1 < gone.size(); j += 2) {
                        departures.add(new Departure(channel, (String) gone.get(j), Long.parseLong((String) gone.get(j + 1))));
                    }
                    return departures;
                });
    }

    private String[] keys(ChannelKey channel) {
        String base = prefix + "p:{" + channel.app().value() + ":" + channel.channel() + "}";
        return new String[] {base + ":u", base + ":i", base + ":s", base + ":n", base + ":v"};
    }

    private String nodeChannels(long nodeId) {
        return prefix + "node:" + nodeId + ":presence";
    }

    private static ChannelKey channelOf(String entry) {
        int colon = entry.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return new ChannelKey(new AppId(Long.parseLong(entry.substring(0, colon))), entry.substring(colon + 1));
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static JoinResult joinResult(List<Object> reply) {
        if (((Long) reply.get(0)) == 0) {
            return JoinResult.full();
        }
        return new JoinResult(true, ((Long) reply.get(1)) == 1, members((List<Object>) reply.get(3)), Long.parseLong((String) reply.get(2)));
    }

    private static List<PresenceMember> members(List<Object> flat) {
        List<PresenceMember> members = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            members.add(new PresenceMember((String) flat.get(i), (String) flat.get(i + 1)));
        }
        return members;
    }
}
