package dev.vask.realtime.cluster.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vask.realtime.cluster.ClusterProperties;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Schedulers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connections to Redis (or a Redis Cluster), shared by every cluster seam: one for commands, one
 * for pub/sub. Commands fail at once while Redis is unreachable, and after {@code commandTimeout} when it does
 * not answer, never queue up: callers answer 503 or refuse with a retryable error instead of hanging. Lettuce
 * reconnects by itself; {@link #onReconnect} callbacks then restore what this node holds in Redis.
 *
 * <p>Every key and topic starts with {@link #prefix()} ({@code vask:} unless configured), so that several
 * installations, or test contexts, can share one Redis.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> commandConnection;
    private final RedisClusterReactiveCommands<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final boolean sharded;
    private final String prefix;
    private final String description;
    private final List<Runnable> reconnectCallbacks = new CopyOnWriteArrayList<>();
    private final List<Runnable> disconnectCallbacks = new CopyOnWriteArrayList<>();
    private final ClientResources resources;
    private volatile boolean closing;

    private RedisConnections(AbstractRedisClient client, ClientResources resources, StatefulConnection<String, String> commandConnection,
            RedisClusterReactiveCommands<String, String> commands, StatefulRedisPubSubConnection<String, String> pubsub,
            boolean sharded, String prefix, String description) {
        this.client = client;
        this.resources = resources;
        this.commandConnection = commandConnection;
        this.commands = commands;
        this.pubsub = pubsub;
        this.sharded = sharded;
        this.prefix = prefix;
        this.description = description;
    }

    /** Connects, or fails with {@link RedisUnreachableException} saying where it tried. */
    public static RedisConnections connect(ClusterProperties properties) {
        List<RedisURI> uris = properties.redisUris().stream().map(uri -> redisUri(uri, properties.commandTimeout())).toList();
        String description = String.join(",", properties.redisUris().stream().map(RedisConnections::withoutPassword).toList());
        AbstractRedisClient client = null;
        // reconnect attempts at most a second apart, so that service is back within seconds of Redis
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        try {
            if (properties.redisCluster()) {
                RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
                cluster.setOptions(ClusterClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                        .socketOptions(SocketOptions.builder().connectTimeout(properties.commandTimeout()).build())
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
                                .enablePeriodicRefresh(Duration.ofSeconds(30)).build())
                        .build());
                client = cluster;
                StatefulRedisClusterConnection<String, String> connection = cluster.connect();
                StatefulRedisClusterPubSubConnection<String, String> pubsub = cluster.connectPubSub();
                // sharded messages arrive on the connections to the shards' masters
                pubsub.setNodeMessagePropagation(true);
                return listen(new RedisConnections(cluster, resources, connection, connection.reactive(), pubsub, true,
                        properties.keyPrefix(), description));
            }
            if (uris.size() != 1) {
                throw new IllegalArgumentException("VASK_REDIS_URL names " + uris.size()
                        + " servers; list several only with VASK_REDIS_CLUSTER=true");
            }
            RedisClient single = RedisClient.create(resources, uris.getFirst());
            single.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                    .socketOptions(SocketOptions.builder().connectTimeout(properties.commandTimeout()).build())
                    .build());
            client = single;
            StatefulRedisConnection<String, String> connection = single.connect();
            StatefulRedisPubSubConnection<String, String> pubsub = single.connectPubSub();
            return listen(new RedisConnections(single, resources, connection, connection.reactive(), pubsub, false, properties.keyPrefix(),
                    description));
        }
        catch (RuntimeException e) {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new RedisUnreachableException(description, e);
        }
    }

    private static RedisConnections listen(RedisConnections connections) {
        connections.client.addListener(new RedisConnectionStateListener() {
            // Lettuce calls these inside its connection's own locks: commands sent from here would corrupt them,
            // so the callbacks run on another thread
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
                if (!connections.closing) {
                    connections.reconnectCallbacks.forEach(callback -> Schedulers.boundedElastic().schedule(callback));
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (!connections.closing) {
                    log.warn("Lost a connection to Redis at {}; reconnecting", connections.description);
                    connections.disconnectCallbacks.forEach(callback -> Schedulers.boundedElastic().schedule(callback));
                }
            }
        });
        log.atInfo().addKeyValue("redis", connections.description).addKeyValue("cluster", connections.sharded)
                .log("Cluster mode: connected to Redis");
        return connections;
    }

    private static RedisURI redisUri(URI uri, Duration timeout) {
        RedisURI redis = RedisURI.create(uri);
        redis.setTimeout(timeout);
        return redis;
    }

    private static String withoutPassword(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    /** Commands, routed by key slot on a Redis Cluster. */
    public RedisClusterReactiveCommands<String, String> commands() {
        return commands;
    }

    public StatefulRedisPubSubConnection<String, String> pubsub() {
        return pubsub;
    }

    /** True on a Redis Cluster: the bus then uses sharded pub/sub. */
    public boolean sharded() {
        return sharded;
    }

    public String prefix() {
        return prefix;
    }

    /** Where this node's Redis is, without credentials, for logs and health details. */
    public String description() {
        return description;
    }

    /** Both connections are up (a command may still time out). */
    public boolean isOpen() {
        return commandConnection.isOpen() && pubsub.isOpen();
    }

    /** Runs after every (re)connection of either connection, off Lettuce's threads. */
    public void onReconnect(Runnable callback) {
        reconnectCallbacks.add(callback);
    }

    /** Runs when either connection is lost, off Lettuce's threads. */
    public void onDisconnect(Runnable callback) {
        disconnectCallbacks.add(callback);
    }

    @Override
    public void close() {
        closing = true;
        pubsub.close();
        commandConnection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
