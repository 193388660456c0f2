package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An app's connection limit holds exactly on a node when many clients arrive at once: the sockets are
 * accepted on several event loops in parallel, and not one more than the limit gets in.
 */
@RealtimeServer
class ConnectionLimitConcurrencyTests {

    private static final int LIMIT = 25;
    private static final int CLIENTS = 120;

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    Hub hub;

    @Test
    void manyClientsConnectingAtOnceGetExactlyTheLimitAndEveryOtherOneIsRefusedWith4004() throws Exception {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(LIMIT, 10240, 10, 100, null)));
        List<RawSocket> accepted = new ArrayList<>();
        int refused = 0;
        for (int round = 0; round < 2; round++) {
            List<Outcome> outcomes = connectAtOnce(app, CLIENTS);
            for (Outcome outcome : outcomes) {
                if (outcome.established()) {
                    accepted.add(outcome.socket());
                }
                else {
                    assertThat(outcome.error().get("data").get("code").asInt()).isEqualTo(4004);
                    assertThat(outcome.socket().awaitClose()).isEqualTo(4004);
                    refused++;
                }
            }
            // every place is taken: a second wave changes nothing, and the first wave's places are still held
            assertThat(accepted).hasSize(LIMIT);
            assertThat(refused).isEqualTo((round + 1) * CLIENTS - LIMIT);
            assertThat(hub.connectionCount(app.id())).isEqualTo(LIMIT);
        }
        for (RawSocket socket : accepted) {
            socket.subscribed("still-open"); // the accepted ones work
        }

        // freed places are taken again, once each, by a crowd that wants them all
        for (RawSocket socket : accepted.subList(0, 10)) {
            socket.closeBlocking();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.connectionCount(app.id()) == LIMIT - 10);
        List<Outcome> again = connectAtOnce(app, 60);
        assertThat(again.stream().filter(Outcome::established).count()).isEqualTo(10);
        assertThat(hub.connectionCount(app.id())).isEqualTo(LIMIT);

        accepted.subList(10, LIMIT).forEach(RawSocket::close);
        again.stream().filter(Outcome::established).forEach(outcome -> outcome.socket().close());
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.connectionCount(app.id()) == 0);
    }

    private record Outcome(RawSocket socket, boolean established, JsonNode error) {
    }

    /** Opens {@code count} sockets from as many threads, released together; answers what each got first. */
    private List<Outcome> connectAtOnce(AppConfig app, int count) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    RawSocket socket = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=7");
                    JsonNode first = socket.next();
                    String event = first.get("event").asString();
                    return new Outcome(socket, event.equals("pusher:connection_established"), first);
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        }
        finally {
            threads.shutdown();
        }
    }
}
