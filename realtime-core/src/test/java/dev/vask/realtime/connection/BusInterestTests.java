package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.BusUnavailableException;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.fanout.LocalBus;
import dev.vask.realtime.testing.Auth;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeTestApplication;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub tells the bus what this node listens to: a channel at its first local subscriber and
 * {@code vask.cluster.unsubscribe-delay} after its last one left, a user's events at its first signed-in
 * socket and after its last sign-out; a subscription succeeds only once the bus listens, and is refused
 * with a retryable error when it cannot.
 */
@SpringBootTest(classes = RealtimeTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "vask.cluster.unsubscribe-delay=400ms")
@Import(BusInterestTests.Recording.class)
class BusInterestTests {

    private static final Duration DELAY = Duration.ofMillis(400);

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RecordingBus bus;

    @Test
    void theFirstSubscriberSubscribesTheNodeAndTheLastOneUnsubscribesItAfterTheDelay() {
        AppConfig app = TestApps.create(apps);
        RawSocket first = RawSocket.connect(port, TestApps.key(app));
        RawSocket second = RawSocket.connect(port, TestApps.key(app));
        first.subscribed("room");
        second.subscribed("room");
        assertThat(bus.calls(app.id())).containsExactly("subscribed room");

        first.unsubscribe("room");
        second.unsubscribe("room");
        long lastLeft = System.nanoTime();
        second.subscribed("sentinel"); // both unsubscribes were handled before this succeeded
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.calls(app.id()).contains("unsubscribed room"));

        assertThat(Duration.ofNanos(bus.when(app.id(), "unsubscribed room") - lastLeft)).isGreaterThanOrEqualTo(DELAY);
        assertThat(bus.calls(app.id())).containsExactly("subscribed room", "subscribed sentinel", "unsubscribed room");
        first.close();
        second.close();
    }

    @Test
    void aSubscriberArrivingWithinTheDelayKeepsTheNodeSubscribed() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribed("flappy");
        socket.unsubscribe("flappy");
        socket.subscribed("flappy");
        socket.unsubscribe("flappy");
        socket.subscribed("flappy");
        socket.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.calls(app.id()).contains("unsubscribed flappy"));

        assertThat(bus.calls(app.id())).containsExactly("subscribed flappy", "unsubscribed flappy");
    }

    @Test
    void signingInSubscribesTheNodeToTheUsersEventsUntilItsLastSocketSignsOut() {
        AppConfig app = TestApps.create(apps);
        RawSocket phone = RawSocket.connect(port, TestApps.key(app));
        RawSocket laptop = RawSocket.connect(port, TestApps.key(app));
        signin(phone, app, "ada");
        signin(laptop, app, "ada");
        assertThat(bus.calls(app.id())).containsExactly("subscribed #server-to-user-ada");

        phone.close();
        laptop.subscribed("sentinel"); // the phone's sign-out was handled long before
        assertThat(bus.calls(app.id())).containsExactly("subscribed #server-to-user-ada", "subscribed sentinel");
        laptop.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.calls(app.id()).contains("unsubscribed #server-to-user-ada"));
        assertThat(bus.calls(app.id())).containsExactlyInAnyOrder("subscribed #server-to-user-ada", "subscribed sentinel",
                "unsubscribed sentinel", "unsubscribed #server-to-user-ada");
    }

    @Test
    void aSubscriptionSucceedsOnlyOnceTheBusListens() {
        AppConfig app = TestApps.create(apps);
        Sinks.Empty<Void> gate = bus.gate(app.id(), "slow");
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe("slow");
        // a ping sent after the subscribe is answered first: the subscription has not succeeded yet
        socket.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        socket.expectSentinel("pusher:pong");

        gate.tryEmitEmpty();

        assertThat(socket.nextEvent("pusher_internal:subscription_succeeded").get("channel").asString()).isEqualTo("slow");
        socket.close();
    }

    @Test
    void aSubscribeTheBusCannotServeIsRefusedWithARetryableErrorAndTheNextAttemptTriesAgain() {
        AppConfig app = TestApps.create(apps);
        bus.failOnce(app.id(), "fragile");
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe("fragile");

        var error = socket.nextEvent("pusher:subscription_error");
        assertThat(error.get("channel").asString()).isEqualTo("fragile");
        assertThat(error.get("data").get("status").asInt()).isEqualTo(503);
        assertThat(error.get("data").get("type").asString()).isEqualTo("Unavailable");

        assertThat(socket.subscribed("fragile").get("channel").asString()).isEqualTo("fragile");
        assertThat(bus.calls(app.id())).containsExactly("subscribed fragile", "subscribed fragile");
        socket.close();
    }

    private static void signin(RawSocket socket, AppConfig app, String user) {
        String userData = "{\"id\":\"" + user + "\"}";
        socket.sendJson("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + Auth.user(app, socket.socketId(), userData)
                + "\",\"user_data\":" + RawSocket.JSON.writeValueAsString(userData) + "}}");
        socket.nextEvent("pusher:signin_success");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Recording {

        @Bean(destroyMethod = "close")
        RecordingBus bus(Hub hub) {
            return new RecordingBus(new LocalBus(hub));
        }
    }

    /** A bus that delivers in-process and records, per app, what the hub asked of it and when. */
    static final class RecordingBus implements Bus {

        private final Bus delegate;
        private final Map<AppId, List<String>> calls = new ConcurrentHashMap<>();
        private final Map<String, Long> times = new ConcurrentHashMap<>();
        private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
        private final Map<String, Sinks.Empty<Void>> gates = new ConcurrentHashMap<>();

        RecordingBus(Bus delegate) {
            this.delegate = delegate;
        }

        List<String> calls(AppId app) {
            return List.copyOf(calls.getOrDefault(app, List.of()));
        }

        long when(AppId app, String call) {
            return times.get(app + " " + call);
        }

        void failOnce(AppId app, String channel) {
            failOnce.add(app + " " + channel);
        }

        Sinks.Empty<Void> gate(AppId app, String channel) {
            Sinks.Empty<Void> gate = Sinks.empty();
            gates.put(app + " " + channel, gate);
            return gate;
        }

        private void record(AppId app, String call) {
            times.put(app + " " + call, System.nanoTime());
            calls.computeIfAbsent(app, id -> new CopyOnWriteArrayList<>()).add(call);
        }

        @Override
        public Mono<Void> publish(ChannelEvent event) {
            return delegate.publish(event);
        }

        @Override
        public Mono<Void> subscribed(AppId app, String channel) {
            record(app, "subscribed " + channel);
            if (failOnce.remove(app + " " + channel)) {
                return Mono.error(new BusUnavailableException("test: Redis is away"));
            }
            Sinks.Empty<Void> gate = gates.remove(app + " " + channel);
            return gate != null ? gate.asMono() : delegate.subscribed(app, channel);
        }

        @Override
        public void unsubscribed(AppId app, String channel) {
            record(app, "unsubscribed " + channel);
            delegate.unsubscribed(app, channel);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
