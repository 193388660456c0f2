package dev.vask.platform.pusherapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.testing.redis.RedisServerProcess;
import dev.vask.testing.redis.TestRedis;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster mode when Redis goes away and comes back, through the official server SDK: events are refused with 503
 * and a body that says why (never 200 for a dropped event), channel queries too, the node is not ready, open sockets
 * stay open; once Redis is back, full service returns within 5 seconds and every event answered 200 arrives.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageTests {

    private static RedisServerProcess redis;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PlatformTestDatabase.register(registry);
        redis = RedisServerProcess.launch();
        registry.add("vask.cluster.redis-url", redis::url);
        registry.add("vask.cluster.key-prefix", TestRedis::newPrefix);
        registry.add("vask.cluster.command-timeout", () -> "1s");
        registry.add("vask.cluster.heartbeat-interval", () -> "500ms");
        registry.add("vask.cluster.node-timeout", () -> "3s");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("clusterHealthIndicator")
    ReactiveHealthIndicator cluster;

    @Test
    void whileRedisIsDownEventsGet503WithAReasonAndWithin5SecondsOfItsReturnEveryAcceptedEventArrives() throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (Subscriber subscriber = Subscriber.connect(port, PlatformTestDatabase.APP_KEY)) {
            subscriber.pusher().subscribe("orders").bind("order", event -> received.add(event.getData()));
            await().until(() -> subscriber.pusher().getChannel("orders").isSubscribed());
            assertThat(status()).isEqualTo(Status.UP);
            List<String> accepted = new ArrayList<>();
            int n = 0;

            redis.stop();
            Result refused = sdk().trigger("orders", "order", Map.of("n", n++));
            assertThat(refused.getHttpStatus()).isEqualTo(503);
            assertThat(refused.getMessage()).contains("not delivered").contains("Redis");
            assertThat(sdk().get("/channels").getHttpStatus()).isEqualTo(503);
            await().atMost(Duration.ofSeconds(5)).until(() -> status() == Status.DOWN);
            assertThat(subscriber.pusher().getConnection().getState()).as("open sockets stay open").isEqualTo(ConnectionState.CONNECTED);

            redis.start();
            long back = System.nanoTime();
            while (System.nanoTime() - back < Duration.ofSeconds(5).toNanos() && (accepted.isEmpty() || status() != Status.UP)) {
                Result result = sdk().trigger("orders", "order", Map.of("n", n));
                if (result.getHttpStatus() == 200) {
                    accepted.add("{\"n\":" + n + "}");
                }
                else {
                    assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(503);
                }
                n++;
                Thread.sleep(50);
            }
            assertThat(accepted).as("an event accepted within 5 s of Redis's return").isNotEmpty();
            assertThat(status()).as("ready again within 5 s").isEqualTo(Status.UP);
            for (int i = 0; i < 20; i++, n++) {
                Result result = sdk().trigger("orders", "order", Map.of("n", n));
                assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(200);
                accepted.add("{\"n\":" + n + "}");
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(received).containsAll(accepted));
        }
    }

    private Status status() {
        return cluster.health().block(Duration.ofSeconds(5)).getStatus();
    }

    private Pusher sdk() {
        Pusher pusher = new Pusher(PlatformTestDatabase.APP_ID, PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET);
        pusher.setHost("127.0.0.1:" + port);
        pusher.setEncrypted(false);
        return pusher;
    }
}
