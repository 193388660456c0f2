package dev.vask.realtime.config;

import java.time.Duration;

import dev.vask.realtime.cluster.redis.NodeRegistry;
import dev.vask.realtime.cluster.redis.RedisConnections;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * {@code cluster} in /actuator/health and in the readiness group: on one node always UP; in cluster mode DOWN
 * while this node cannot reach Redis, has not written its state again since, or waits for the other nodes to listen
 * again after an outage (its events would be refused meanwhile), on realtime and api nodes, so that the load balancer stops sending them new work rather than letting a node serve as an island.
 * A dashboard-only node does not need Redis and stays UP.
 */
final class ClusterHealthIndicator implements ReactiveHealthIndicator {

    private final @Nullable RedisConnections redis;
    private final @Nullable NodeRegistry registry;
    private final boolean needsRedis;

    ClusterHealthIndicator(@Nullable RedisConnections redis, @Nullable NodeRegistry registry, boolean needsRedis) {
        this.redis = redis;
        this.registry = registry;
        this.needsRedis = needsRedis;
    }

    @Override
    public Mono<Health> health() {
        if (redis == null || registry == null) {
            return Mono.just(Health.up().withDetail("mode", "single node").build());
        }
        if (!needsRedis) {
            return Mono.just(Health.up().withDetail("mode", "cluster").withDetail("note", "this node's roles do not need Redis").build());
        }
        NodeRegistry nodes = registry;
        return redis.commands().ping().timeout(Duration.ofSeconds(1))
                .map(pong -> !nodes.heartbeating()
                        ? Health.down().withDetail("mode", "cluster").withDetail("redis", redis.description())
                                .withDetail("reason", "reconnected; writing this node's state to Redis again").build()
                        : !nodes.settled()
                        ? Health.down().withDetail("mode", "cluster").withDetail("redis", redis.description())
                                .withDetail("reason", "waiting for the other nodes to listen again after a Redis outage").build()
                        : Health.up().withDetail("mode", "cluster").withDetail("redis", redis.description())
                                .withDetail("nodes", nodes.liveNodes().size()).build())
                .onErrorResume(error -> Mono.just(Health.down().withDetail("mode", "cluster").withDetail("redis", redis.description())
                        .withDetail("reason", "Redis unreachable: " + error.getMessage()).build()));
    }
}
