package dev.vask.platform.vapid;

import java.time.Duration;
import java.util.Map;

import dev.vask.platform.PlatformNode;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.TestAccount;
import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Vask nodes on one database, as in cluster mode (app changes travel through PostgreSQL's notifications on
 * every node, whatever carries the channel events): a rotation requested on one node reaches a socket on the
 * other within a couple of seconds, and a key past its period is rotated by exactly one of the two nodes, whose
 * schedules both look every 200 ms.
 */
class VapidTwoNodeTests {

    private static final long APP = Long.parseLong(PlatformTestDatabase.APP_ID);
    private static TestDatabase database;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startTwoNodes() {
        database = TestDatabase.create();
        first = start();
        second = start();
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void aRotationOnOneNodeReachesASocketOnTheOtherAtOnceAndAScheduledRotationRunsOnOneNodeOnly() throws Exception {
        WebTestClient api1 = client(first);
        WebTestClient api2 = client(second);
        TestAccount admin = TestAccount.existing(api1, "admin@vask.local", "admin-password-1", "10.9.9.9");
        admin.api().patch().uri("/api/v1/apps/{app}", APP).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("features", Map.of("webPush", true))).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(5)).until(() -> api2.get().uri("/apps/{key}/vapid", PlatformTestDatabase.APP_KEY).exchange()
                .returnResult(String.class).getStatus().value() == 200);

        VapidSocketTests.Socket onSecond = VapidSocketTests.Socket.open(port(second), PlatformTestDatabase.APP_KEY);
        assertThat(onSecond.next().get("event").asString()).isEqualTo("pusher:connection_established");
        assertThat(VapidSocketTests.vapidKey(onSecond.next())).isEqualTo(currentKey());

        // on demand, through the first node
        admin.api().post().uri("/api/v1/apps/{app}/vapid/rotate", APP).exchange().expectStatus().isOk();
        long rotatedAt = System.nanoTime();
        JsonNode heard = onSecond.next();
        assertThat(Duration.ofNanos(System.nanoTime() - rotatedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(VapidSocketTests.vapidKey(heard)).isEqualTo(currentKey());

        // on schedule: make the key older than its period, three times over; each time one node rotates it, once
        VapidRotationSchedule schedule1 = first.getBean(VapidRotationSchedule.class);
        VapidRotationSchedule schedule2 = second.getBean(VapidRotationSchedule.class);
        for (int round = 1; round <= 3; round++) {
            long before = keyId();
            database.execute("update vapid_keys set created_at = now() - interval '30 days 1 minute' where app_id = " + APP);
            await().atMost(Duration.ofSeconds(5)).until(() -> keyId() != before);
            int expected = round;
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> scheduledRotations() == expected && schedule1.rotations() + schedule2.rotations() == expected);
            assertThat(keyRows()).isEqualTo(1);
            assertThat(VapidSocketTests.vapidKey(onSecond.next())).isEqualTo(currentKey());
        }
        onSecond.close();
    }

    private static long scheduledRotations() {
        return VapidApiTests.queryLongIn(database, "select count(*) from audit_events where action = 'vapid.rotated' and actor_email = '"
                + VapidRotationSchedule.ACTOR + "' and target_id = ?", Long.toString(APP));
    }

    private static long keyId() {
        return VapidApiTests.queryLongIn(database, "select id from vapid_keys where app_id = ?::bigint", Long.toString(APP));
    }

    private static long keyRows() {
        return VapidApiTests.queryLongIn(database, "select count(*) from vapid_keys where app_id = ?::bigint", Long.toString(APP));
    }

    private static String currentKey() {
        return VapidApiTests.queryStringIn(database, "select public_key from vapid_keys where app_id = ?::bigint", Long.toString(APP));
    }

    private static ConfigurableApplicationContext start() {
        return PlatformNode.start(database, Map.of("server.forward-headers-strategy", "framework",
                "spring.webflux.problemdetails.enabled", "true",
                "vask.directory.heartbeat", "1s",
                "vask.vapid.rotation-check-interval", "200ms"));
    }

    private static int port(ConfigurableApplicationContext context) {
        return PlatformNode.port(context);
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port(context)).responseTimeout(Duration.ofSeconds(30)).build();
    }
}
