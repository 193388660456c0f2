package dev.vask.realtime.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.cluster.redis.RedisConnections;
import dev.vask.realtime.fanout.redis.RedisBus;
import dev.vask.realtime.testing.Redis;
import dev.vask.testing.redis.RedisServerProcess;
import dev.vask.testing.redis.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Redis bus: the bus contract, plus what only several nodes on one Redis can show. */
class RedisBusTests extends BusContractTests {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final String prefix = TestRedis.newPrefix();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @Override
    protected Bus createBus(LocalDelivery delivery) {
        return node(Redis.connect(prefix), delivery);
    }

    private RedisBus node(RedisConnections connections, LocalDelivery delivery) {
        opened.add(connections);
        return new RedisBus(connections, delivery, new SimpleMeterRegistry());
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void anEventReachesEveryNodeListeningToItsChannelAndNoOther() {
        List<ChannelEvent> atB = new CopyOnWriteArrayList<>();
        List<ChannelEvent> atC = new CopyOnWriteArrayList<>();
        Bus a = createBus(event -> { });
        Bus b = createBus(atB::add);
        Bus c = createBus(atC::add);
        AppId app = new AppId(1);
        b.subscribed(app, "room").block(WAIT);
        c.subscribed(app, "lobby").block(WAIT);

        a.publish(event(app, "room", "\"hello\"")).block(WAIT);
        a.publish(event(app, "lobby", "\"sentinel\"")).block(WAIT);

        await().atMost(WAIT).until(() -> atC.size() == 1);
        await().atMost(WAIT).until(() -> atB.size() == 1);
        assertThat(atB.getFirst().dataJson()).isEqualTo("\"hello\"");
        assertThat(atC).extracting(ChannelEvent::channel).containsExactly("lobby");
    }

    @Test
    void aNodeThatUnsubscribedHearsNoMoreOfTheChannel() {
        List<ChannelEvent> atB = new CopyOnWriteArrayList<>();
        RedisConnections aConnections = Redis.connect(prefix);
        opened.add(aConnections);
        Bus a = new RedisBus(aConnections, event -> { }, new SimpleMeterRegistry());
        Bus b = createBus(atB::add);
        AppId app = new AppId(2);
        b.subscribed(app, "room").block(WAIT);
        b.subscribed(app, "sentinel").block(WAIT);
        b.unsubscribed(app, "room");
        // the unsubscribe travels on B's connection, the publish on A's: wait until Redis has applied it
        await().atMost(WAIT).until(() -> aConnections.commands().pubsubNumsub(prefix + "c:2:room").block(WAIT)
                .getOrDefault(prefix + "c:2:room", 1L) == 0);

        a.publish(event(app, "room", "\"late\"")).block(WAIT);
        a.publish(event(app, "sentinel", "\"last\"")).block(WAIT);

        await().atMost(WAIT).until(() -> !atB.isEmpty());
        assertThat(atB).extracting(ChannelEvent::channel).containsExactly("sentinel");
    }

    @Test
    void channelsOfDifferentAppsWithTheSameNameNeverMix() {
        List<ChannelEvent> atB = new CopyOnWriteArrayList<>();
        Bus a = createBus(event -> { });
        Bus b = createBus(atB::add);
        b.subscribed(new AppId(3), "room").block(WAIT);
        a.publish(event(new AppId(4), "room", "\"other tenant\"")).block(WAIT);
        a.publish(event(new AppId(3), "room", "\"mine\"")).block(WAIT);
        await().atMost(WAIT).until(() -> !atB.isEmpty());
        assertThat(atB).extracting(ChannelEvent::dataJson).containsExactly("\"mine\"");
    }

    @Test
    void oneEventIsOneRedisPublishWhateverTheNumberOfListeningNodes() {
        List<ChannelEvent> delivered = new CopyOnWriteArrayList<>();
        Bus publisher = createBus(event -> { });
        AppId app = new AppId(5);
        for (int i = 0; i < 3; i++) {
            createBus(delivered::add).subscribed(app, "wide").block(WAIT);
        }
        long before = publishCalls(TestRedis.shared().command("INFO commandstats"));
        for (int i = 0; i < 50; i++) {
            publisher.publish(event(app, "wide", "\"" + i + "\"")).block(WAIT);
        }
        await().atMost(WAIT).until(() -> delivered.size() == 150);
        assertThat(publishCalls(TestRedis.shared().command("INFO commandstats")) - before).isEqualTo(50);
    }

    @Test
    void whileRedisIsDownPublishAndSubscribeFailAtOnceAndAfterItReturnsTheNodeListensAgain() {
        try (RedisServerProcess redis = RedisServerProcess.launch()) {
            List<ChannelEvent> atB = new CopyOnWriteArrayList<>();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Bus a = node(Redis.connect(redis.url(), false, prefix), event -> { });
            RedisConnections bConnections = Redis.connect(redis.url(), false, prefix);
            opened.add(bConnections);
            Bus b = new RedisBus(bConnections, atB::add, meters);
            AppId app = new AppId(6);
            b.subscribed(app, "room").block(WAIT);

            redis.stop();
            long start = System.nanoTime();
            assertThatThrownBy(() -> a.publish(event(app, "room", "\"lost\"")).block(WAIT)).isInstanceOf(BusUnavailableException.class);
            assertThatThrownBy(() -> b.subscribed(app, "other").block(WAIT)).isInstanceOf(BusUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(meters.get("vask.bus.publish.failures").counter().count()).isZero(); // b published nothing

            redis.start();
            long back = System.nanoTime();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                a.publish(event(app, "room", "\"again\"")).onErrorResume(error -> reactor.core.publisher.Mono.empty()).block(WAIT);
                return !atB.isEmpty();
            });
            assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(WAIT);
            assertThat(atB).allMatch(event -> event.dataJson().equals("\"again\""));
            assertThat(meters.get("vask.bus.resubscribes").counter().count()).isPositive();
        }
    }

    @Test
    void theDeliveryLatencyOfEveryReceivedEventIsMeasured() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<ChannelEvent> atB = new CopyOnWriteArrayList<>();
        RedisConnections connections = Redis.connect(prefix);
        opened.add(connections);
        Bus b = new RedisBus(connections, atB::add, meters);
        Bus a = createBus(event -> { });
        AppId app = new AppId(7);
        b.subscribed(app, "timed").block(WAIT);
        for (int i = 0; i < 10; i++) {
            a.publish(event(app, "timed", "1")).block(WAIT);
        }
        await().atMost(WAIT).until(() -> atB.size() == 10);
        assertThat(meters.get("vask.bus.delivery.latency").timer().count()).isEqualTo(10);
    }

    static long publishCalls(String commandstats) {
        return commandstats.lines().filter(line -> line.startsWith("cmdstat_publish:") || line.startsWith("cmdstat_spublish:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("^cmdstat_s?publish:calls=(\\d+),.*", "$1"))).sum();
    }

    private static ChannelEvent event(AppId app, String channel, String data) {
        return new ChannelEvent(app, channel, "e", data, null, null);
    }
}
