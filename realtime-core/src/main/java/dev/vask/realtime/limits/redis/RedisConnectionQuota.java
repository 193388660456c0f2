package dev.vask.realtime.limits.redis;

import java.util.Map;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.cluster.NodeId;
import dev.vask.realtime.cluster.redis.NodeState;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.cluster.redis.RedisScript;
import dev.vask.realtime.connection.Hub;
import dev.vask.realtime.limits.ConnectionQuota;
import io.lettuce.core.ScriptOutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cluster {@link ConnectionQuota}: each app's open sockets per node in one Redis hash
 * ({@code <prefix>conns:{app}}, node → count), checked and counted by one script, so two nodes can never both take
 * the last connection: the limit holds exactly. The count of a node that died stays until the node is removed
 * (within the node timeout): meanwhile the app may open fewer sockets, never more.
 */
public final class RedisConnectionQuota implements ConnectionQuota, NodeState {

    private static final Logger log = LoggerFactory.getLogger(RedisConnectionQuota.class);

    /** KEYS: the app's hash. ARGV: node, limit (-1: none). Returns 1 when counted, 0 at the limit. */
    private static final RedisScript ACQUIRE = new RedisScript("""
            local limit = tonumber(ARGV[2])
            if limit >= 0 then
              local open = 0
              for _, count in ipairs(redis.call('HVALS', KEYS[1])) do open = open + tonumber(count) end
              if open >= limit then return 0 end
            end
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            return 1
            """, ScriptOutputType.INTEGER);

    /** KEYS: the app's hash. ARGV: node. */
    private static final RedisScript RELEASE = new RedisScript("""
            if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisConnections redis;
    private final NodeId node;
    private final Hub hub;

    public RedisConnectionQuota(RedisConnections redis, NodeId node, Hub hub) {
        this.redis = redis;
        this.node = node;
        this.hub = hub;
    }

    @Override
    public Mono<Boolean> tryAcquire(AppConfig app) {
        Integer limit = app.limits().maxConnections();
        return ACQUIRE.<Long>run(redis.commands(), new String[] {key(app.id())}, node.toString(), Integer.toString(limit == null ? -1 : limit))
                .map(counted -> counted == 1)
                .flatMap(counted -> counted ? rememberApp(app.id()).thenReturn(true) : Mono.just(false));
    }

    @Override
    public void release(AppId app) {
        RELEASE.run(redis.commands(), new String[] {key(app)}, node.toString())
                .subscribe(null, error -> log.atDebug().addKeyValue("appId", app).log("Could not release a connection: {}", error.getMessage()));
    }

    @Override
    public Mono<Void> reassert() {
        Map<AppId, Integer> open = hub.connectionCounts();
        return redis.commands().smembers(apps(node.value()))
                .map(id -> new AppId(Long.parseLong(id)))
                .filter(app -> !open.containsKey(app))
                .concatMap(app -> redis.commands().hdel(key(app), node.toString()))
                .thenMany(Flux.fromIterable(open.entrySet()))
                .concatMap(entry -> redis.commands().hset(key(entry.getKey()), node.toString(), Integer.toString(entry.getValue()))
                        .then(rememberApp(entry.getKey())))
                .then();
    }

    @Override
    public Mono<Void> removeNode(long nodeId) {
        return redis.commands().smembers(apps(nodeId))
                .concatMap(app -> redis.commands().hdel(key(new AppId(Long.parseLong(app))), Long.toString(nodeId)))
                .then(redis.commands().del(apps(nodeId)))
                .then();
    }

    /** Open sockets of the app on every node (the sum of the hash). */
    public Mono<Integer> count(AppId app) {
        return redis.commands().hvals(key(app)).map(Integer::parseInt).reduce(0, Integer::sum);
    }

    private Mono<Void> rememberApp(AppId app) {
        return redis.commands().sadd(apps(node.value()), Long.toString(app.value())).then();
    }

    private String key(AppId app) {
        return redis.prefix() + "conns:{" + app.value() + "}";
    }

    private String apps(long nodeId) {
        return redis.prefix() + "node:" + nodeId + ":conns";
    }

}
