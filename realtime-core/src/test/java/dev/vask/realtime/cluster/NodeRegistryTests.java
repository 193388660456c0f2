package dev.vask.realtime.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.vask.realtime.cluster.redis.NodeRegistry;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.fanout.redis.RedisBus;
import dev.vask.realtime.presence.redis.RedisPresenceStore;
import dev.vask.testing.redis.RedisServerProcess;
import dev.vask.testing.redis.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The nodes' registry after Redis comes back: publishes are held until every node known before listens again. */
class NodeRegistryTests {

    @Test
    void afterAnOutageANodePublishesAgainOnlyOnceEveryNodeKnownBeforeHasWrittenItsStateAgain() {
        try (RedisServerProcess redis = RedisServerProcess.launch()) {
            String prefix = TestRedis.newPrefix();
            ClusterProperties properties = new ClusterProperties(redis.url(), false, Duration.ofMillis(200), Duration.ofMillis(300),
                    Duration.ofSeconds(4), Duration.ofSeconds(1), prefix);
            List<NodeRegistry> nodes = new ArrayList<>();
            List<RedisConnections> connections = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                RedisConnections redisConnections = RedisConnections.connect(properties);
                connections.add(redisConnections);
                RedisBus bus = new RedisBus(redisConnections, event -> { }, new SimpleMeterRegistry(), false);
                NodeRegistry node = new NodeRegistry(redisConnections, new NodeId(100 + i), properties,
                        new RedisPresenceStore(redisConnections, new NodeId(100 + i)), bus, List.of());
                node.start();
                nodes.add(node);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(node -> node.liveNodes().size() == 3));
            assertThat(nodes).allMatch(NodeRegistry::settled);

            redis.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().noneMatch(NodeRegistry::settled));
            redis.start();
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(NodeRegistry::settled));
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(5));
            assertThat(nodes).allMatch(NodeRegistry::heartbeating);
            nodes.forEach(NodeRegistry::stop);
            connections.forEach(RedisConnections::close);
        }
    }
}
