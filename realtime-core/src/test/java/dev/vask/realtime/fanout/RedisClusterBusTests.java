package dev.vask.realtime.fanout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.fanout.redis.RedisBus;
import dev.vask.realtime.testing.Redis;
import dev.vask.testing.redis.RedisClusterProcesses;
import dev.vask.testing.redis.RedisServerProcess;
import dev.vask.testing.redis.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bus on a real Redis Cluster of three masters (redis-server processes started here): sharded pub/sub,
 * so each event is one SPUBLISH handled by the one shard that owns its channel's slot, and the channels of
 * an app spread over every shard.
 */
class RedisClusterBusTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static RedisClusterProcesses cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.start(3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void eachEventIsOneShardedPublishOnTheShardThatOwnsItsChannelAndEveryShardCarriesSome() {
        String prefix = TestRedis.newPrefix();
        List<ChannelEvent> atB = new CopyOnWriteArrayList<>();
        try (RedisConnections aConnections = Redis.connect(cluster.seedUrls(), true, prefix);
                RedisConnections bConnections = Redis.connect(cluster.seedUrls(), true, prefix)) {
            Bus a = new RedisBus(aConnections, event -> { }, new SimpleMeterRegistry());
            Bus b = new RedisBus(bConnections, atB::add, new SimpleMeterRegistry());
            AppId app = new AppId(11);
            for (int i = 0; i < 30; i++) {
                b.subscribed(app, "room-" + i).block(WAIT);
            }
            long[] before = cluster.nodes().stream().mapToLong(node -> shardedPublishes(node)).toArray();

            for (int i = 0; i < 30; i++) {
                a.publish(new ChannelEvent(app, "room-" + i, "e", "\"" + i + "\"", null, null)).block(WAIT);
            }

            await().atMost(WAIT).until(() -> atB.size() == 30);
            assertThat(atB).extracting(ChannelEvent::channel).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, 30).mapToObj(i -> "room-" + i).toList());
            long total = 0;
            for (int n = 0; n < 3; n++) {
                RedisServerProcess node = cluster.nodes().get(n);
                long handled = shardedPublishes(node) - before[n];
                assertThat(handled).as("SPUBLISHes on shard %d", n).isPositive();
                assertThat(RedisBusTests.publishCalls(node.command("INFO commandstats")) - shardedPublishes(node))
                        .as("plain PUBLISHes on shard %d (they would reach every shard)", n).isZero();
                total += handled;
            }
            assertThat(total).isEqualTo(30);
        }
    }

    @Test
    void aNodeThatUnsubscribedFromAShardedChannelHearsNoMoreOfIt() {
        String prefix = TestRedis.newPrefix();
        List<ChannelEvent> atB = new CopyOnWriteArrayList<>();
        try (RedisConnections aConnections = Redis.connect(cluster.seedUrls(), true, prefix);
                RedisConnections bConnections = Redis.connect(cluster.seedUrls(), true, prefix)) {
            Bus a = new RedisBus(aConnections, event -> { }, new SimpleMeterRegistry());
            Bus b = new RedisBus(bConnections, atB::add, new SimpleMeterRegistry());
            AppId app = new AppId(12);
            b.subscribed(app, "gone").block(WAIT);
            b.subscribed(app, "sentinel").block(WAIT);
            b.unsubscribed(app, "gone");
            // the unsubscribe travels on B's connection, the publishes on A's: wait until the shard has applied it
            // (SPUBLISH answers how many subscribers got a message; B drops this one, it is no bus message)
            await().atMost(WAIT).until(() -> aConnections.commands().spublish(prefix + "c:12:gone", "probe").block(WAIT) == 0);
            a.publish(new ChannelEvent(app, "gone", "e", "1", null, null)).block(WAIT);
            a.publish(new ChannelEvent(app, "sentinel", "e", "2", null, null)).block(WAIT);
            await().atMost(WAIT).until(() -> !atB.isEmpty());
            assertThat(atB).extracting(ChannelEvent::channel).containsExactly("sentinel");
        }
    }

    private static long shardedPublishes(RedisServerProcess node) {
        return node.command("INFO commandstats").lines().filter(line -> line.startsWith("cmdstat_spublish:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("^cmdstat_spublish:calls=(\\d+),.*", "$1"))).sum();
    }
}
