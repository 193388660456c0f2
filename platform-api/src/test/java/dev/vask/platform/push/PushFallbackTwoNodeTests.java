package dev.vask.platform.push;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.pusher.client.channel.PusherEvent;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.vask.platform.PlatformNode;
import dev.vask.platform.pusherapi.PusherApiTestApps;
import dev.vask.platform.pusherapi.PusherApiTestApps.TestApp;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.connection.Hub;
import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.redis.RedisServerProcess;
import dev.vask.testing.redis.TestRedis;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Web Push fallback on two nodes in cluster mode (one database, one Redis): a user signed in on one node is
 * online for the other, so a server-to-user event sent through the other node reaches the socket and makes no push;
 * once the user has left every node, the same event through the same node becomes exactly one push. "No push" and
 * "exactly one" are shown with a sentinel push sent afterwards.
 */
class PushFallbackTwoNodeTests {

    private static TestDatabase database;
    private static RedisServerProcess redis;
    private static TestPushService pushService;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startTwoNodes() {
        database = TestDatabase.create();
        redis = RedisServerProcess.launch();
        pushService = new TestPushService();
        String prefix = TestRedis.newPrefix();
        first = start(prefix);
        second = start(prefix);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {second, first, pushService, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            }
            catch (Exception ignored) {
                // the others still close
            }
        }
    }

    @Test
    void aUserOnlineOnTheOtherNodeGetsNoPushAndOnceGoneFromEveryNodeExactlyOne() throws Exception {
        SecretCipher cipher = first.getBean(SecretCipher.class);
        TestApp app = PusherApiTestApps.create(database, cipher, "web_push_enabled = true, push_fallback_enabled = true");
        PushTestKeys.StoredKey key = PushTestKeys.insert(database, cipher, app.id());
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        Result registered = sdk(app, first).post("/users/rosa/push_subscriptions",
                "{\"subscription\":" + browser.json() + ",\"key\":\"" + key.publicKeyText() + "\"}");
        assertThat(registered.getHttpStatus()).as(registered.getMessage()).isEqualTo(201);

        Hub hubOfFirst = first.getBean(Hub.class);
        try (Subscriber onSecond = Subscriber.signedIn(port(second), app.key(), app.secret(), "rosa")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> online(hubOfFirst, app, "rosa"));
            BlockingQueue<PusherEvent> events = new LinkedBlockingQueue<>();
            onSecond.pusher().user().bind("note", events::add);
            Result live = sdk(app, first).post("/users/rosa/events", "{\"name\":\"note\",\"data\":\"live\"}");
            assertThat(live.getHttpStatus()).as(live.getMessage()).isEqualTo(200);
            PusherEvent received = events.poll(10, TimeUnit.SECONDS);
            assertThat(received).as("the event through the first node reaches the socket on the second").isNotNull();
            assertThat(received.getData()).isEqualTo("live");
            sentinel(app, "first-sentinel");
            assertThat(browser.next().payload()).as("no push before the sentinel").isEqualTo("\"first-sentinel\"");
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> !online(hubOfFirst, app, "rosa"));
        Result offline = sdk(app, first).post("/users/rosa/events", "{\"name\":\"note\",\"data\":\"while away\"}");
        assertThat(offline.getHttpStatus()).as(offline.getMessage()).isEqualTo(200);
        assertThat(browser.next().payload()).isEqualTo("{\"event\":\"note\",\"data\":\"while away\"}");
        sentinel(app, "second-sentinel");
        assertThat(browser.next().payload()).as("exactly one push for the event").isEqualTo("\"second-sentinel\"");
        assertThat(browser.attempts()).hasSize(3);
    }

    private static boolean online(Hub hub, TestApp app, String user) {
        return Boolean.TRUE.equals(hub.online(new AppId(app.id()), List.of(user)).map(users -> users.contains(user)).block(Duration.ofSeconds(5)));
    }

    private static void sentinel(TestApp app, String payload) {
        Result push = sdk(app, first).post("/users/rosa/push", "{\"payload\":\"" + payload + "\"}");
        assertThat(push.getHttpStatus()).as(push.getMessage()).isEqualTo(202);
    }

    private static Pusher sdk(TestApp app, ConfigurableApplicationContext node) {
        Pusher pusher = new Pusher(Long.toString(app.id()), app.key(), app.secret());
        pusher.setHost("127.0.0.1:" + port(node));
        pusher.setEncrypted(false);
        pusher.setRequestTimeout(30_000);
        return pusher;
    }

    private static ConfigurableApplicationContext start(String keyPrefix) {
        return PlatformNode.start(database, Map.of("vask.push.allowed-hosts", "127.0.0.1",
                "vask.cluster.redis-url", redis.url(),
                "vask.cluster.key-prefix", keyPrefix));
    }

    private static int port(ConfigurableApplicationContext context) {
        return PlatformNode.port(context);
    }
}
