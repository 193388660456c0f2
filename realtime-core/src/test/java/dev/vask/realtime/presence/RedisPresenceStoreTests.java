package dev.vask.realtime.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.cluster.ClusterProperties;
import dev.vask.realtime.cluster.NodeId;
import dev.vask.realtime.cluster.redis.NodeRegistry;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.fanout.redis.RedisBus;
import dev.vask.realtime.presence.redis.RedisPresenceStore;
import dev.vask.realtime.testing.Redis;
import dev.vask.testing.redis.RedisServerProcess;
import dev.vask.testing.redis.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis presence store: the store contract, plus members across nodes and the removal of dead nodes. */
class RedisPresenceStoreTests extends PresenceStoreContractTests {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final String prefix = TestRedis.newPrefix();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ChannelKey room = new ChannelKey(new AppId(77), "presence-hall");

    @Override
    protected PresenceStore createStore() {
        return store(1);
    }

    private RedisPresenceStore store(long node) {
        RedisConnections connections = Redis.connect(prefix);
        opened.add(connections);
        return new RedisPresenceStore(connections, new NodeId(node));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aUserOnTwoNodesIsOneMemberUntilItsLastSocketAnywhereLeaves() {
        RedisPresenceStore a = store(1);
        RedisPresenceStore b = store(2);
        assertThat(a.join(room, new PresenceMember("ada", "{\"n\":1}"), "1.10", 100).block(WAIT).newMember()).isTrue();
        JoinResult onB = b.join(room, new PresenceMember("ada", "{\"n\":2}"), "2.20", 100).block(WAIT);
        assertThat(onB.newMember()).isFalse();
        assertThat(onB.members()).containsExactly(new PresenceMember("ada", "{\"n\":1}"));

        assertThat(a.leave(room, "ada", "1.10").block(WAIT)).isZero();
        assertThat(b.members(room).block(WAIT)).extracting(PresenceMember::userId).containsExactly("ada");
        assertThat(b.leave(room, "ada", "2.20").block(WAIT)).isPositive();
        assertThat(a.members(room).block(WAIT)).isEmpty();
    }

    @Test
    void versionsGrowAcrossNodes() {
        RedisPresenceStore a = store(1);
        RedisPresenceStore b = store(2);
        long first = a.join(room, new PresenceMember("a", "null"), "1.1", 100).block(WAIT).version();
        long second = b.join(room, new PresenceMember("b", "null"), "2.1", 100).block(WAIT).version();
        long third = a.join(room, new PresenceMember("c", "null"), "1.2", 100).block(WAIT).version();
        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
    }

    @Test
    void versionsKeepGrowingAfterRedisLostEverything() {
        try (RedisServerProcess redis = RedisServerProcess.launch()) {
            RedisConnections connections = Redis.connect(redis.url(), false, prefix);
            opened.add(connections);
            RedisPresenceStore store = new RedisPresenceStore(connections, new NodeId(1));
            long before = store.join(room, new PresenceMember("a", "null"), "1.1", 100).block(WAIT).version();
            redis.stop();
            redis.start();
            await().atMost(WAIT).ignoreExceptions()
                    .until(() -> store.join(room, new PresenceMember("b", "null"), "1.2", 100).block(WAIT).version() > before);
        }
    }

    @Test
    void theMembersOfANodeThatStopsHeartbeatingAreRemovedWithMemberRemoved() {
        ClusterProperties fast = new ClusterProperties(TestRedis.shared().url(), false, Duration.ofMillis(200), Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofSeconds(1), prefix);
        RedisConnections deadConnections = RedisConnections.connect(fast);
        RedisConnections liveConnections = RedisConnections.connect(fast);
        opened.add(liveConnections);
        List<ChannelEvent> delivered = new CopyOnWriteArrayList<>();
        Bus liveBus = new RedisBus(liveConnections, delivered::add, new SimpleMeterRegistry());
        liveBus.subscribed(room.app(), room.channel()).block(WAIT);
        RedisPresenceStore dying = new RedisPresenceStore(deadConnections, new NodeId(31));
        RedisPresenceStore living = new RedisPresenceStore(liveConnections, new NodeId(32));
        NodeRegistry dyingNode = new NodeRegistry(deadConnections, new NodeId(31), fast, dying,
                new RedisBus(deadConnections, event -> { }, new SimpleMeterRegistry()), List.of());
        NodeRegistry livingNode = new NodeRegistry(liveConnections, new NodeId(32), fast, living, liveBus, List.of());
        dyingNode.start();
        livingNode.start();
        dying.join(room, new PresenceMember("ghost", "null"), "31.1", 100).block(WAIT);
        living.join(room, new PresenceMember("alive", "null"), "32.1", 100).block(WAIT);
        await().atMost(WAIT).until(() -> livingNode.liveNodes().containsAll(List.of(31L, 32L)));

        deadConnections.close(); // the node is gone without a word: no leave, no heartbeat
        long killed = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.stream().anyMatch(e -> e.event().equals("pusher_internal:member_removed")));
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(fast.nodeTimeout().plus(fast.heartbeatInterval()).plusSeconds(1));
        ChannelEvent removed = delivered.stream().filter(e -> e.event().equals("pusher_internal:member_removed")).findFirst().orElseThrow();
        assertThat(removed.dataJson()).contains("ghost");
        assertThat(removed.presenceVersion()).isPositive();
        assertThat(living.members(room).block(WAIT)).extracting(PresenceMember::userId).containsExactly("alive");
        assertThat(livingNode.liveNodes()).doesNotContain(31L);
        livingNode.stop();
    }

    @Test
    void afterRedisLostItsDataEachNodeWritesItsMembersAgainWithoutAnnouncingThem() {
        try (RedisServerProcess redis = RedisServerProcess.launch()) {
            ClusterProperties fast = new ClusterProperties(redis.url(), false, Duration.ofMillis(200), Duration.ofMillis(200),
                    Duration.ofSeconds(3), Duration.ofSeconds(1), prefix);
            RedisConnections connections = RedisConnections.connect(fast);
            opened.add(connections);
            List<ChannelEvent> delivered = new CopyOnWriteArrayList<>();
            RedisBus bus = new RedisBus(connections, delivered::add, new SimpleMeterRegistry());
            RedisPresenceStore store = new RedisPresenceStore(connections, new NodeId(41));
            NodeRegistry registry = new NodeRegistry(connections, new NodeId(41), fast, store, bus, List.of());
            registry.start();
            store.join(room, new PresenceMember("kept", "{\"x\":1}"), "41.1", 100).block(WAIT);

            redis.stop();
            redis.start();
            long back = System.nanoTime();

            await().atMost(WAIT).ignoreExceptions().until(() -> !store.members(room).block(WAIT).isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(WAIT);
            assertThat(store.members(room).block(WAIT)).containsExactly(new PresenceMember("kept", "{\"x\":1}"));
            assertThat(delivered).isEmpty();
            registry.stop();
        }
    }
}
