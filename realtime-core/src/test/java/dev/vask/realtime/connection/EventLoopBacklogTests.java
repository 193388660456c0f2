package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The event loops' task queues, as metrics show them: what waits, and that it drains. */
@RealtimeServer
class EventLoopBacklogTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    Hub hub;

    @Autowired
    MeterRegistry registry;

    @Test
    void tasksQueuedOnALoopThatCarriesASocketShowUntilTheyRun() throws Exception {
        RawSocket socket = RawSocket.connect(port, TestApps.key(TestApps.create(apps)));
        LoopConnections loop = hub.loops.all().iterator().next(); // the socket's loop, or one that carried an earlier test's
        CompletableFuture<double[]> seen = new CompletableFuture<>();
        loop.loop.execute(() -> {
            // the loop is busy with this task, so the hundred queued behind it wait and are counted
            for (int i = 0; i < 100; i++) {
                loop.loop.execute(() -> { });
            }
            seen.complete(new double[] {gauge("vask.realtime.eventloop.pending.tasks"), gauge("vask.realtime.eventloop.pending.tasks.max")});
        });
        double[] queued = seen.get(5, TimeUnit.SECONDS);
        assertThat(queued[0]).isGreaterThanOrEqualTo(100);
        assertThat(queued[1]).isGreaterThanOrEqualTo(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("vask.realtime.eventloop.pending.tasks.max") < 100);
        socket.close();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
