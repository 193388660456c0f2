package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.config.RealtimeLifecycle;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Graceful shutdown: readiness down, new sockets refused, open ones told to reconnect elsewhere (4200). */
@RealtimeServer
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class DrainTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeLifecycle lifecycle;

    @Autowired
    ApplicationAvailability availability;

    @Test
    void shutdownTakesReadinessDownRefusesNewSocketsAndClosesOpenOnesWith4200() throws Exception {
        AppConfig app = TestApps.create(apps);
        List<RawSocket> open = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            open.add(RawSocket.connect(port, TestApps.key(app)));
        }
        CountDownLatch drained = new CountDownLatch(1);
        long start = System.nanoTime();
        lifecycle.stop(drained::countDown);
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

        RawSocket late = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=7");
        assertThat(late.next().get("data").get("code").asInt()).isEqualTo(4200);
        assertThat(late.awaitClose()).isEqualTo(4200);

        for (RawSocket socket : open) {
            assertThat(socket.awaitClose()).isEqualTo(4200);
        }
        assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
        // closes are spread over the drain period (200 ms here), not all in one instant
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(150));
    }

    @Test
    void aStoppedNodeThatStartsAgainIsReadyAndAcceptsSocketsAgain(@Autowired ConfigurableApplicationContext context) {
        // Spring pauses idle test contexts (stop, then start on next use); an operator may do the same
        context.stop();
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
        context.start();
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        AppConfig app = TestApps.create(apps);
        // the web server restarts with the context, on a port of its own when the first was random
        int portNow = ((WebServerApplicationContext) context).getWebServer().getPort();
        RawSocket socket = RawSocket.connect(portNow, TestApps.key(app));
        socket.subscribed("after-restart");
        socket.close();
    }
}
