package dev.vask.realtime.testing;

import java.time.Duration;

import dev.vask.realtime.cluster.ClusterProperties;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.testing.redis.TestRedis;

/** Cluster settings and connections for tests, on the shared test Redis unless told otherwise. */
public final class Redis {

    private Redis() {
    }

    /** Settings for one simulated cluster: its nodes share {@code prefix}, nothing else does. */
    public static ClusterProperties properties(String url, boolean cluster, String prefix) {
        return new ClusterProperties(url, cluster, Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(3),
                Duration.ofSeconds(1), prefix);
    }

    public static RedisConnections connect(String prefix) {
        return RedisConnections.connect(properties(TestRedis.shared().url(), false, prefix));
    }

    public static RedisConnections connect(String url, boolean cluster, String prefix) {
        return RedisConnections.connect(properties(url, cluster, prefix));
    }
}
