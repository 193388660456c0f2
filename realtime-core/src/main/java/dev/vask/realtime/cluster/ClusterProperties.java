package dev.vask.realtime.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cluster settings ({@code vask.cluster.*}). Without {@code redisUrl} Vask runs as one node, in memory, and
 * needs no Redis; with it, any number of nodes on the same Redis and PostgreSQL behave as one server.
 *
 * @param redisUrl {@code VASK_REDIS_URL}: {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
 *        (TLS); with {@code redisCluster}, a comma-separated list of seed nodes of a Redis Cluster
 * @param redisCluster {@code VASK_REDIS_CLUSTER}: the URL names Redis Cluster seed nodes; the bus then uses
 *        sharded pub/sub (Redis 7), so an event travels only to the shard that owns its channel
 * @param unsubscribeDelay how long after its last local subscriber leaves a node keeps listening to a
 *        channel (default 2 s), so that a reconnect storm does not subscribe and unsubscribe in a loop
 * @param heartbeatInterval how often a node tells the cluster it is alive (default 2 s)
 * @param nodeTimeout a node silent for this long is dead: its presence members are removed with
 *        {@code member_removed} and its sockets stop counting (default 20 s; members go within this plus
 *        one heartbeat interval)
 * @param commandTimeout a Redis command that takes longer fails (default 2 s): the HTTP API answers 503,
 *        a subscribe is refused with a retryable error
 * @param keyPrefix the start of every Redis key and pub/sub topic of this installation (default {@code vask:}),
 *        so that several installations can share one Redis
 */
@Validated
@ConfigurationProperties("vask.cluster")
public record ClusterProperties(
        @Nullable String redisUrl,
        @DefaultValue("false") boolean redisCluster,
        @DefaultValue("2s") Duration unsubscribeDelay,
        @DefaultValue("2s") Duration heartbeatInterval,
        @DefaultValue("20s") Duration nodeTimeout,
        @DefaultValue("2s") Duration commandTimeout,
        @DefaultValue("vask:") String keyPrefix) {

    /** Single-node defaults, for tests and embedding. */
    public static ClusterProperties singleNode() {
        return new ClusterProperties(null, false, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofSeconds(2), "vask:");
    }

    public boolean clustered() {
        return redisUrl != null && !redisUrl.isBlank();
    }

    /** The Redis URLs: one, or the seed nodes of a Redis Cluster. */
    public List<URI> redisUris() {
        if (!clustered()) {
            return List.of();
        }
        return Arrays.stream(redisUrl.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(URI::create).toList();
    }
}
