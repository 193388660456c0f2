package dev.vask.platform.push;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.pusher.client.channel.PusherEvent;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.pusherapi.PusherApiTestApps;
import dev.vask.platform.pusherapi.PusherApiTestApps.TestApp;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-to-user events fall back to Web Push for a user with no open connection when the app's push fallback is
 * on; a connected user gets the WebSocket event and no push. "No push" is shown with a sentinel: a push sent
 * afterwards through the push API is the first (and only) thing the push service receives.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PushFallbackTests {

    static TestDatabase database;
    static TestPushService pushService;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
        registry.add("vask.push.allowed-hosts", () -> "127.0.0.1");
    }

    @BeforeAll
    static void startPushService() {
        pushService = new TestPushService();
    }

    @AfterAll
    static void stopPushService() {
        pushService.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    SecretCipher cipher;

    @Test
    void aUserWithNoOpenConnectionGetsTheEventAsAPush() throws Exception {
        TestApp app = PusherApiTestApps.create(database, cipher, "web_push_enabled = true, push_fallback_enabled = true");
        PushTestKeys.StoredKey key = PushTestKeys.insert(database, cipher, app.id());
        TestPushService.Browser browser = subscribe(app, key, "olga");
        Result event = sdk(app).post("/users/olga/events", "{\"name\":\"note\",\"data\":\"{\\\"unread\\\":3}\"}");
        assertThat(event.getHttpStatus()).as(event.getMessage()).isEqualTo(200);
        assertThat(browser.next().payload()).isEqualTo("{\"event\":\"note\",\"data\":\"{\\\"unread\\\":3}\"}");
    }

    @Test
    void aConnectedUserGetsTheWebSocketEventAndNoPush() throws Exception {
        TestApp app = PusherApiTestApps.create(database, cipher, "web_push_enabled = true, push_fallback_enabled = true");
        PushTestKeys.StoredKey key = PushTestKeys.insert(database, cipher, app.id());
        TestPushService.Browser browser = subscribe(app, key, "pete");
        try (Subscriber socket = Subscriber.signedIn(port, app.key(), app.secret(), "pete")) {
            BlockingQueue<PusherEvent> events = new LinkedBlockingQueue<>();
            socket.pusher().user().bind("note", events::add);
            Result event = sdk(app).post("/users/pete/events", "{\"name\":\"note\",\"data\":\"live\"}");
            assertThat(event.getHttpStatus()).as(event.getMessage()).isEqualTo(200);
            PusherEvent received = events.poll(10, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
            assertThat(received.getData()).isEqualTo("live");
            sentinel(app, "pete");
            assertThat(browser.next().payload()).isEqualTo("\"sentinel\"");
            assertThat(browser.received()).isEmpty();
            assertThat(browser.attempts()).hasSize(1);
        }
    }

    @Test
    void withTheFallbackOffAnOfflineUserGetsNoPush() throws Exception {
        TestApp app = PusherApiTestApps.create(database, cipher, "web_push_enabled = true, push_fallback_enabled = false");
        PushTestKeys.StoredKey key = PushTestKeys.insert(database, cipher, app.id());
        TestPushService.Browser browser = subscribe(app, key, "quinn");
        assertThat(sdk(app).post("/users/quinn/events", "{\"name\":\"note\",\"data\":\"x\"}").getHttpStatus()).isEqualTo(200);
        sentinel(app, "quinn");
        assertThat(browser.next().payload()).isEqualTo("\"sentinel\"");
        assertThat(browser.attempts()).hasSize(1);
    }

    private TestPushService.Browser subscribe(TestApp app, PushTestKeys.StoredKey key, String user) {
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        Result registered = sdk(app).post("/users/" + user + "/push_subscriptions", "{\"subscription\":" + browser.json() + ",\"key\":\"" + key.publicKeyText() + "\"}");
        assertThat(registered.getHttpStatus()).as(registered.getMessage()).isEqualTo(201);
        return browser;
    }

    private void sentinel(TestApp app, String user) {
        Result push = sdk(app).post("/users/" + user + "/push", "{\"payload\":\"sentinel\"}");
        assertThat(push.getHttpStatus()).as(push.getMessage()).isEqualTo(202);
    }

    private Pusher sdk(TestApp app) {
        Pusher pusher = new Pusher(Long.toString(app.id()), app.key(), app.secret());
        pusher.setHost("127.0.0.1:" + port);
        pusher.setEncrypted(false);
        pusher.setRequestTimeout(30_000); // the machine running the tests may be busy
        return pusher;
    }
}
