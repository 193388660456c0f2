package dev.vask.platform.push;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.pusherapi.PusherApiTestApps;
import dev.vask.platform.pusherapi.PusherApiTestApps.TestApp;
import dev.vask.platform.pusherapi.SignedRequests;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Web Push API end to end: a running Vask on a real Postgres, requests signed as the official server SDK signs
 * them, and a push service on loopback that verifies the VAPID JWT against the key each subscription was made with
 * and decrypts with the subscription's private key, as a browser does ({@link TestPushService}).
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PushApiTests {

    static TestDatabase database;
    static TestPushService pushService;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
        // the local push service is the one non-public host pushes may go to (and over http)
        registry.add("vask.push.allowed-hosts", () -> "127.0.0.1");
        registry.add("vask.push.first-backoff", () -> "200ms");
        registry.add("vask.usage.flush-interval", () -> "200ms");
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

    TestApp app;
    PushTestKeys.StoredKey key;

    @BeforeEach
    void appWithWebPush() {
        app = PusherApiTestApps.create(database, cipher, "web_push_enabled = true");
        key = PushTestKeys.insert(database, cipher, app.id());
    }

    @Test
    void aPushIsDeliveredAndDecryptedToTheExactPayloadWithItsHeaders() throws Exception {
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        Result created = register("ada", browser, key.publicKeyText());
        assertThat(created.getHttpStatus()).as(created.getMessage()).isEqualTo(201);
        Result again = register("ada", browser, key.publicKeyText());
        assertThat(again.getHttpStatus()).as("the same endpoint again updates it").isEqualTo(200);

        Result push = sdk().post("/users/ada/push", "{\"payload\":{\"title\":\"Hello\",\"n\":1,\"text\":\"caf\\u00e9 \\u2603\"},"
                + "\"ttl\":60,\"urgency\":\"high\",\"topic\":\"inbox-1\"}");
        assertThat(push.getHttpStatus()).as(push.getMessage()).isEqualTo(202);
        assertThat(push.getMessage()).isEqualTo("{\"subscriptions\":1}");
        TestPushService.Received received = browser.next();
        assertThat(received.payload()).isEqualTo("{\"title\":\"Hello\",\"n\":1,\"text\":\"café ☃\"}");
        assertThat(received.headers()).containsEntry("ttl", "60").containsEntry("urgency", "high").containsEntry("topic", "inbox-1")
                .containsEntry("content-encoding", "aes128gcm").containsEntry("content-type", "application/octet-stream");
        awaitUsage("pushes_sent", 1);
    }

    @Test
    void aSubscriptionThePushServiceDroppedIsDeletedOn410() throws Exception {
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        assertThat(register("bob", browser, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        pushService.expire(browser);
        assertThat(sdk().post("/users/bob/push", "{\"payload\":\"hi\"}").getHttpStatus()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from push_subscriptions where endpoint = '" + browser.endpoint() + "'") == 0);
        awaitUsage("pushes_gone", 1);
        Result none = sdk().post("/users/bob/push", "{\"payload\":\"hi\"}");
        assertThat(none.getHttpStatus()).isEqualTo(404);
        assertThat(none.getMessage()).contains("User bob has no push subscriptions");
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterAndA500WithBackoffThenDelivered() throws Exception {
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        assertThat(register("cy", browser, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        pushService.failNext(browser, 429, "1");
        pushService.failNext(browser, 503, null);
        assertThat(sdk().post("/users/cy/push", "{\"payload\":{\"retry\":true}}").getHttpStatus()).isEqualTo(202);
        assertThat(browser.next().payload()).isEqualTo("{\"retry\":true}");
        List<java.time.Instant> attempts = new ArrayList<>(browser.attempts());
        assertThat(attempts).hasSize(3);
        assertThat(Duration.between(attempts.get(0), attempts.get(1))).as("Retry-After: 1 is honoured").isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(count("select count(*) from push_subscriptions where endpoint = '" + browser.endpoint() + "'")).isEqualTo(1);
    }

    @Test
    void aPushThatKeepsFailingIsGivenUpAndCountedAsFailed() throws Exception {
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        assertThat(register("dee", browser, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        for (int i = 0; i < 5; i++) {
            pushService.failNext(browser, 500, null);
        }
        assertThat(sdk().post("/users/dee/push", "{\"payload\":1}").getHttpStatus()).isEqualTo(202);
        awaitUsage("pushes_failed", 1);
        assertThat(browser.attempts()).as("max-attempts (5), then no more").hasSize(5);
        assertThat(browser.received()).isEmpty();
    }

    @Test
    void aStoredKeyThatIsNotAPointFailsThatPushAloneAndDeliveryGoesOn() throws Exception {
        TestPushService.Browser broken = pushService.subscribe(key.publicKey());
        TestPushService.Browser healthy = pushService.subscribe(key.publicKey());
        assertThat(register("hal", broken, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        assertThat(register("hal", healthy, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        // as if the row had been damaged after registration (registration refuses such keys): a point off the curve
        byte[] offCurve = broken.p256dh().clone();
        offCurve[64] ^= 1;
        try (Connection connection = database.connect();
                java.sql.PreparedStatement update = connection.prepareStatement("update push_subscriptions set p256dh = ? where endpoint = ?")) {
            update.setBytes(1, offCurve);
            update.setString(2, broken.endpoint());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        // the app's key and the endpoint's verdict are in memory after the first call, so both calls encrypt on the
        // delivery loop's own thread: the refusal must stay that push's failure, not end the loop
        for (int n = 1; n <= 2; n++) {
            assertThat(sdk().post("/users/hal/push", "{\"payload\":" + n + "}").getHttpStatus()).isEqualTo(202);
            assertThat(healthy.next().payload()).isEqualTo(Integer.toString(n));
        }
        awaitUsage("pushes_failed", 2);
        assertThat(broken.received()).isEmpty();
    }

    @Test
    void aStaleKeyIs409WithTheCurrentKeyAndKeysCompareAsBytes() {
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        String otherKey = P256.base64url(P256.encodePublic((java.security.interfaces.ECPublicKey) P256.generate().getPublic()));
        Result stale = register("eve", browser, otherKey);
        assertThat(stale.getHttpStatus()).isEqualTo(409);
        assertThat(stale.getMessage()).isEqualTo("{\"error\":\"stale_vapid_key\",\"key\":\"" + key.publicKeyText() + "\"}");
        Result padded = register("eve", browser, key.publicKeyText() + "=");
        assertThat(padded.getHttpStatus()).as("the same key with base64 padding is the same key").isEqualTo(201);
    }

    @Test
    void afterARotationOldSubscriptionsAreGoneAndPushesSignedWithTheNewKeyAreAccepted() throws Exception {
        TestPushService.Browser old = pushService.subscribe(key.publicKey());
        assertThat(register("fay", old, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        assertThat(sdk().post("/users/fay/push", "{\"payload\":\"before\"}").getHttpStatus()).isEqualTo(202);
        assertThat(old.next().payload()).isEqualTo("\"before\"");

        PushTestKeys.StoredKey rotated = PushTestKeys.rotate(database, cipher, app.id());
        assertThat(count("select count(*) from push_subscriptions where endpoint = '" + old.endpoint() + "'")).isZero();
        Result nothing = sdk().post("/users/fay/push", "{\"payload\":\"to nobody\"}");
        assertThat(nothing.getHttpStatus()).isEqualTo(404);

        TestPushService.Browser renewed = pushService.subscribe(rotated.publicKey());
        Result withOldKey = register("fay", renewed, key.publicKeyText());
        assertThat(withOldKey.getHttpStatus()).isEqualTo(409);
        assertThat(withOldKey.getMessage()).contains(rotated.publicKeyText());
        assertThat(register("fay", renewed, rotated.publicKeyText()).getHttpStatus()).isEqualTo(201);
        // the push service checks that k= and the JWT's signature are the key this subscription was made with
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sdk().post("/users/fay/push", "{\"payload\":\"after\"}").getHttpStatus()).isEqualTo(202);
            assertThat(renewed.next().payload()).isEqualTo("\"after\"");
        });
        assertThat(old.received()).isEmpty();
    }

    @Test
    void endpointsOnNonPublicHostsOrWithoutHttpsAreRefused() throws Exception {
        for (String endpoint : List.of("https://10.1.2.3/push/x", "https://192.168.1.1/push/x", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/push/x", "https://[fd00::1]/push/x", "https://[fe80::1]/push/x", "https://224.0.0.1/push/x",
                "https://0.0.0.0/push/x", "https://localhost/push/x", "https://[::ffff:127.0.0.2]/push/x", "https://100.64.0.1/push/x")) {
            Result refused = registerRaw("gus", "{\"subscription\":{\"endpoint\":\"" + endpoint + "\",\"keys\":" + keysOf(pushService.subscribe(key.publicKey()))
                    + "},\"key\":\"" + key.publicKeyText() + "\"}");
            assertThat(refused.getHttpStatus()).as(endpoint).isEqualTo(400);
            assertThat(refused.getMessage()).as(endpoint).contains("subscription.endpoint").contains("non-public address");
        }
        Result http = registerRaw("gus", "{\"subscription\":{\"endpoint\":\"http://push.example.com/x\",\"keys\":"
                + keysOf(pushService.subscribe(key.publicKey())) + "},\"key\":\"" + key.publicKeyText() + "\"}");
        assertThat(http.getHttpStatus()).isEqualTo(400);
        assertThat(http.getMessage()).contains("subscription.endpoint: endpoint must be an https URL");
        assertThat(count("select count(*) from push_subscriptions where user_id = 'gus'")).isZero();
    }

    @Test
    void aStoredEndpointThatIsNotPublicIsNotContactedAtSendTime() throws Exception {
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        // a row that got in by any other way than the API (or whose host's DNS changed since)
        database.execute("insert into push_subscriptions (app_id, user_id, endpoint, p256dh, auth, vapid_key_id) select " + app.id()
                + ", 'hal', 'https://10.9.8.7/push/x', decode('" + java.util.HexFormat.of().formatHex(browser.p256dh()) + "', 'hex'), decode('"
                + java.util.HexFormat.of().formatHex(browser.auth()) + "', 'hex'), id from vapid_keys where app_id = " + app.id());
        assertThat(sdk().post("/users/hal/push", "{\"payload\":1}").getHttpStatus()).isEqualTo(202);
        awaitUsage("pushes_failed", 1);
    }

    @Test
    void badInputIsA4xxNamingTheProblem() {
        TestPushService.Browser browser = pushService.subscribe(key.publicKey());
        String keys = keysOf(browser);
        String k = ",\"key\":\"" + key.publicKeyText() + "\"}";
        expect(registerRaw("ivy", "{\"subscription\": {"), 400, "The body is not valid JSON");
        expect(registerRaw("ivy", "{\"key\":\"" + key.publicKeyText() + "\"}"), 400, "subscription must be the browser's PushSubscription");
        expect(registerRaw("ivy", "{\"subscription\":{\"keys\":" + keys + "}" + k), 400, "subscription.endpoint must be a non-empty string");
        expect(registerRaw("ivy", "{\"subscription\":{\"endpoint\":\"" + browser.endpoint() + "\"}" + k), 400, "subscription.keys must be an object");
        byte[] offCurve = browser.p256dh().clone();
        offCurve[64] ^= 1;
        expect(registerRaw("ivy", "{\"subscription\":{\"endpoint\":\"" + browser.endpoint() + "\",\"keys\":{\"p256dh\":\"" + P256.base64url(offCurve)
                + "\",\"auth\":\"" + P256.base64url(browser.auth()) + "\"}}" + k), 400, "subscription.keys.p256dh: the point is not on the P-256 curve");
        expect(registerRaw("ivy", "{\"subscription\":{\"endpoint\":\"" + browser.endpoint() + "\",\"keys\":{\"p256dh\":\"not+base64\",\"auth\":\""
                + P256.base64url(browser.auth()) + "\"}}" + k), 400, "subscription.keys.p256dh must be base64url");
        expect(registerRaw("ivy", "{\"subscription\":{\"endpoint\":\"" + browser.endpoint() + "\",\"keys\":{\"p256dh\":\"" + P256.base64url(browser.p256dh())
                + "\",\"auth\":\"" + P256.base64url(new byte[15]) + "\"}}" + k), 400, "subscription.keys.auth must be 16 bytes (22 base64url characters), not 15 bytes");
        expect(registerRaw("ivy", "{\"subscription\":{\"endpoint\":\"" + browser.endpoint() + "\",\"expirationTime\":\"soon\",\"keys\":" + keys + "}" + k),
                400, "subscription.expirationTime must be null or a time in epoch milliseconds");
        expect(registerRaw("ivy", "{\"subscription\":" + browser.json() + "}"), 400, "key must be a non-empty string");
        expect(registerRaw("ivy", "{\"subscription\":" + browser.json() + ",\"key\":\"AAAA\"}"), 400, "key: not a 65-byte uncompressed P-256 point");
        expect(registerRaw("bad*user", "{\"subscription\":" + browser.json() + k), 400, "Invalid user id");

        assertThat(register("ivy", browser, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        expect(sdk().post("/users/ivy/push", "{\"ttl\":60}"), 400, "payload is required");
        expect(sdk().post("/users/ivy/push", "{\"payload\":\"" + "x".repeat(3100) + "\"}"), 413, "payload is 3102 bytes serialized; a push carries at most 3072");
        expect(sdk().post("/users/ivy/push", "{\"payload\":1,\"ttl\":-1}"), 400, "ttl must be a whole number of seconds");
        expect(sdk().post("/users/ivy/push", "{\"payload\":1,\"ttl\":1.5}"), 400, "ttl must be a whole number of seconds");
        expect(sdk().post("/users/ivy/push", "{\"payload\":1,\"urgency\":\"urgent\"}"), 400, "urgency must be one of very-low, low, normal, high");
        expect(sdk().post("/users/ivy/push", "{\"payload\":1,\"topic\":\"" + "t".repeat(33) + "\"}"), 400, "topic must be 1 to 32 characters");
        expect(sdk().post("/users/ivy/push", "{\"payload\":1,\"topic\":\"a b\"}"), 400, "topic must be 1 to 32 characters");
        expect(sdk().post("/users/nobody/push", "{\"payload\":1}"), 404, "User nobody has no push subscriptions in app " + app.id());

        TestApp withoutPush = PusherApiTestApps.create(database, cipher, "");
        Result off = sdk(withoutPush).post("/users/ivy/push", "{\"payload\":1}");
        expect(off, 422, "Web Push is not enabled for app " + withoutPush.id());
        TestApp enabledWithoutKey = PusherApiTestApps.create(database, cipher, "web_push_enabled = true");
        expect(sdk(enabledWithoutKey).post("/users/ivy/push_subscriptions", "{\"subscription\":" + browser.json() + k), 422,
                "Web Push is not enabled for app " + enabledWithoutKey.id());
        expect(sdk(enabledWithoutKey).post("/users/ivy/push", "{\"payload\":1}"), 422, "Web Push is not enabled");
    }

    @Test
    void aUserHasAtMostTwentySubscriptions() {
        for (int i = 0; i < PushSubscriptions.MAX_PER_USER; i++) {
            assertThat(register("jon", pushService.subscribe(key.publicKey()), key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        }
        Result over = register("jon", pushService.subscribe(key.publicKey()), key.publicKeyText());
        expect(over, 422, "User jon already has 20 push subscriptions");
    }

    @Test
    void deleteRemovesASubscriptionByEndpointInTheBodyOrTheQueryAndUnknownIs404() throws Exception {
        SignedRequests signed = new SignedRequests(port);
        TestPushService.Browser first = pushService.subscribe(key.publicKey());
        TestPushService.Browser second = pushService.subscribe(key.publicKey());
        assertThat(register("kim", first, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        assertThat(register("kim", second, key.publicKeyText()).getHttpStatus()).isEqualTo(201);
        String path = "/apps/" + app.id() + "/users/kim/push_subscriptions";
        SignedRequests.Response byBody = signed.send("DELETE", path, Map.of(), "{\"endpoint\":\"" + first.endpoint() + "\"}", app.key(), app.secret());
        assertThat(byBody.status()).as(byBody.body()).isEqualTo(200);
        SignedRequests.Response byQuery = signed.send("DELETE", path, Map.of("endpoint", second.endpoint()), "", app.key(), app.secret());
        assertThat(byQuery.status()).as(byQuery.body()).isEqualTo(200);
        SignedRequests.Response again = signed.send("DELETE", path, Map.of("endpoint", second.endpoint()), "", app.key(), app.secret());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body()).contains("User kim has no push subscription with this endpoint");
        SignedRequests.Response unsigned = signed.raw("DELETE", path + "?endpoint=x", "", null);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(count("select count(*) from push_subscriptions where user_id = 'kim'")).isZero();
    }

    private static void expect(Result result, int status, String message) {
        assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(status);
        assertThat(result.getMessage()).contains(message);
    }

    private Result register(String user, TestPushService.Browser browser, String vapidKey) {
        return registerRaw(user, "{\"subscription\":" + browser.json() + ",\"key\":\"" + vapidKey + "\"}");
    }

    private Result registerRaw(String user, String body) {
        return sdk().post("/users/" + user + "/push_subscriptions", body);
    }

    private static String keysOf(TestPushService.Browser browser) {
        return "{\"p256dh\":\"" + P256.base64url(browser.p256dh()) + "\",\"auth\":\"" + P256.base64url(browser.auth()) + "\"}";
    }

    private void awaitUsage(String column, long atLeast) {
        await().atMost(Duration.ofSeconds(15)).until(() -> count("select coalesce(sum(" + column + "), 0) from app_usage_daily where app_id = " + app.id()) >= atLeast);
    }

    static long count(String sql) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Pusher sdk() {
        return sdk(app);
    }

    private Pusher sdk(TestApp target) {
        Pusher pusher = new Pusher(Long.toString(target.id()), target.key(), target.secret());
        pusher.setHost("127.0.0.1:" + port);
        pusher.setEncrypted(false);
        pusher.setRequestTimeout(30_000); // the machine running the tests may be busy
        return pusher;
    }
}
