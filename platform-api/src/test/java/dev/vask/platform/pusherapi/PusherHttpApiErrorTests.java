package dev.vask.platform.pusherapi;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every refusal of the Pusher HTTP API: a 4xx with {"error": "..."} naming the problem, never a 500,
 * a stack trace or a silent drop.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PusherHttpApiErrorTests {

    private static final String EVENT = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\"}";
    static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    SecretCipher cipher;

    @Autowired
    AppDirectory directory;

    private SignedRequests requests() {
        return new SignedRequests(port);
    }

    private SignedRequests.Response post(String path, String body) {
        return requests().send("POST", path, Map.of(), body, PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET);
    }

    @Test
    void theAppMayBeNamedByItsIdOrByItsKey() {
        assertThat(post("/apps/4242/events", EVENT).status()).isEqualTo(200);
        SignedRequests.Response byKey = post("/apps/" + PlatformTestDatabase.APP_KEY + "/events", EVENT);
        assertThat(byKey.status()).isEqualTo(200);
        assertThat(byKey.body()).isEqualTo("{}");
    }

    @Test
    void badSignatureIsRefusedWithTheStringToSign() {
        SignedRequests.Response response = requests().send("POST", "/apps/4242/events", Map.of(), EVENT, PlatformTestDatabase.APP_KEY,
                "wrong-secret");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).startsWith("{\"error\":\"Invalid signature: you should have sent HmacSHA256Hex(\\\"POST\\\\n/apps/4242/events\\\\n")
                .doesNotContain(PlatformTestDatabase.APP_SECRET);
    }

    @Test
    void staleTimestampIsRefused() {
        String old = Long.toString(Instant.now().getEpochSecond() - 601);
        SignedRequests.Response response = requests().send("POST", "/apps/4242/events", Map.of("auth_timestamp", old), EVENT,
                PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).contains("Timestamp expired: Given timestamp").contains("not within 600s of server time");
        String future = Long.toString(Instant.now().getEpochSecond() + 590);
        assertThat(requests().send("POST", "/apps/4242/events", Map.of("auth_timestamp", future), EVENT, PlatformTestDatabase.APP_KEY,
                PlatformTestDatabase.APP_SECRET).status()).isEqualTo(200);
    }

    @Test
    void wrongBodyMd5IsRefused() {
        SignedRequests.Response response = requests().send("POST", "/apps/4242/events",
                Map.of("body_md5", "00000000000000000000000000000000"), EVENT, PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"body_md5 does not match the body received\"}");
    }

    @Test
    void missingOrUnknownKeyAndWrongVersionAreRefused() {
        assertThat(requests().raw("POST", "/apps/4242/events", EVENT, "application/json").status()).isEqualTo(401);
        SignedRequests.Response unknown = requests().send("POST", "/apps/4242/events", Map.of(), EVENT, "no-such-key", "x");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"Invalid auth_key: no-such-key is not an active key of app 4242\"}");
        SignedRequests.Response version = requests().send("POST", "/apps/4242/events", Map.of("auth_version", "2.0"), EVENT,
                PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET);
        assertThat(version.status()).isEqualTo(401);
        assertThat(version.body()).isEqualTo("{\"error\":\"auth_version must be 1.0\"}");
    }

    @Test
    void aKeyOfAnotherAppNeverAuthorisesThisApp() {
        PusherApiTestApps.TestApp other = PusherApiTestApps.create(database, cipher, "");
        SignedRequests.Response response = requests().send("POST", "/apps/4242/events", Map.of(), EVENT, other.key(), other.secret());
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"Invalid auth_key: " + other.key() + " is not an active key of app 4242\"}");
    }

    @Test
    void revokedKeyIsRefusedWithinASecondOrTwo() {
        PusherApiTestApps.TestApp app = PusherApiTestApps.create(database, cipher, "");
        PusherApiTestApps.addKey(database, cipher, app.id(), "rolled-" + app.id(), "rolled-secret-value");
        await().until(() -> requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), EVENT, "rolled-" + app.id(),
                "rolled-secret-value").status() == 200);
        database.execute("update app_keys set revoked_at = now() where key = 'rolled-" + app.id() + "'");
        await().atMost(Duration.ofSeconds(2)).until(() -> requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), EVENT,
                "rolled-" + app.id(), "rolled-secret-value").status() == 401);
        assertThat(requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), EVENT, app.key(), app.secret()).status()).isEqualTo(200);
    }

    @Test
    void disabledAppIsRefusedWith403() {
        PusherApiTestApps.TestApp app = PusherApiTestApps.create(database, cipher, "enabled = false");
        SignedRequests.Response response = requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), EVENT, app.key(), app.secret());
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"error\":\"App " + app.id() + " is disabled\"}");
    }

    @Test
    void messagesOverTheDailyQuotaAreRefusedWith429() {
        PusherApiTestApps.TestApp app = PusherApiTestApps.create(database, cipher, "max_messages_per_day = 3");
        String twoChannels = "{\"name\":\"e\",\"channels\":[\"a\",\"b\"],\"data\":\"x\"}";
        assertThat(requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), twoChannels, app.key(), app.secret()).status()).isEqualTo(200);
        SignedRequests.Response refused = requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), twoChannels, app.key(), app.secret());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains("Message quota exceeded: app " + app.id() + " may send 3 messages per day");
        assertThat(requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), EVENT, app.key(), app.secret()).status()).isEqualTo(200);
    }

    @Test
    void limitsOfThePayloadAreEnforced() {
        assertError(post("/apps/4242/events", "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"" + "x".repeat(10 * 1024 + 1) + "\"}"), 413,
                "data is 10241 bytes, more than this app's limit of 10240 bytes");
        StringBuilder channels = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            channels.append(i == 0 ? "" : ",").append("\"c").append(i).append('"');
        }
        assertError(post("/apps/4242/events", "{\"name\":\"e\",\"channels\":[" + channels + "],\"data\":\"x\"}"), 400,
                "an event may go to at most 100 channels, not 101");
        assertError(post("/apps/4242/events", "{\"name\":\"" + "n".repeat(201) + "\",\"channel\":\"c\",\"data\":\"x\"}"), 400,
                "name is longer than 200 characters");
        assertError(post("/apps/4242/events", "{\"name\":\"e\",\"channel\":\"bad name\",\"data\":\"x\"}"), 400,
                "invalid channel name 'bad name': Channel name may only contain A-Z, a-z, 0-9, '_', '-', '=', '@', ',', '.' and ';'");
        assertError(post("/apps/4242/events", "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"x\",\"socket_id\":\"abc\"}"), 400,
                "socket_id must look like 1234.5678");
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            batch.append(i == 0 ? "" : ",").append(EVENT);
        }
        assertError(post("/apps/4242/batch_events", "{\"batch\":[" + batch + "]}"), 400, "batch must be an array of 1 to 10 events");
        assertError(post("/apps/4242/batch_events", "{\"batch\":[" + EVENT + ",{\"name\":\"e\",\"channel\":\"c\"}]}"), 400,
                "batch[1]: data is required (a string, usually JSON-encoded)");
    }

    @Test
    void malformedRequestsGetAClear400Or415() {
        assertError(post("/apps/4242/events", "{not json"), 400, "The body is not valid JSON");
        assertError(post("/apps/4242/events", "[1,2]"), 400, "The body must be a JSON object");
        assertError(post("/apps/4242/events", "{\"channel\":\"c\",\"data\":\"x\"}"), 400, "name is required");
        assertError(post("/apps/4242/events", "{\"name\":\"e\",\"data\":\"x\"}"), 400, "give exactly one of channel or channels");
        assertError(post("/apps/4242/events", "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"x\",\"info\":\"everything\"}"), 400,
                "unknown info attribute 'everything' (use user_count, subscription_count)");
        assertError(post("/apps/4242/events", "{\"name\":\"e\",\"name\":\"f\",\"channel\":\"c\",\"data\":\"x\"}"), 400, "The body is not valid JSON");
        assertError(requests().send("POST", "/apps/4242/events", Map.of(), EVENT, PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET,
                query -> { }, "text/plain"), 415, "Content-Type must be application/json");
        assertThat(requests().raw("POST", "/apps/4242/events", EVENT, "text/plain").status()).as("unsigned: 401 before 415").isEqualTo(401);
        assertError(requests().send("POST", "/apps/4242/events", Map.of(), EVENT, PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET,
                query -> { }, "garbage"), 415, "Content-Type must be application/json");
        assertError(requests().raw("POST", "/apps/4242/events?auth_key=a&auth_key=b", EVENT, "application/json"), 400,
                "Duplicate query parameter: auth_key (names are compared without regard to case)");
        SignedRequests.Response encodedSlash = requests().raw("GET", "/apps/4242/channels/a%2Fb", "", null);
        assertThat(encodedSlash.status()).isEqualTo(400);
        assertThat(encodedSlash.body()).contains("characters Vask does not accept");
    }

    @Test
    void channelQueriesRefuseAttributesTheChannelDoesNotHave() {
        assertError(get("/apps/4242/channels/public-room", Map.of("info", "user_count")), 400, "user_count is only available for presence channels");
        assertError(get("/apps/4242/channels/public-room", Map.of("info", "cache")), 400, "cache is only available for cache channels");
        assertError(get("/apps/4242/channels/public-room/users", Map.of()), 400, "Users can only be listed for presence channels");
        assertError(get("/apps/4242/channels", Map.of("info", "user_count")), 400, "info=user_count needs filter_by_prefix starting with presence-");
        assertError(get("/apps/4242/channels/bad%20name", Map.of()), 400,
                "Invalid channel name: Channel name may only contain A-Z, a-z, 0-9, '_', '-', '=', '@', ',', '.' and ';'");
    }

    @Test
    void oversizeBodyIsRefusedWhileItArrives() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // signed, so the body is read at all (an unsigned one is refused from its headers)
            java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
            params.put("auth_key", PlatformTestDatabase.APP_KEY);
            params.put("auth_timestamp", Long.toString(Instant.now().getEpochSecond()));
            params.put("auth_version", "1.0");
            params.put("body_md5", "0123456789abcdef0123456789abcdef");
            String signature = dev.vask.platform.signature.RequestSigning.sign(PlatformTestDatabase.APP_SECRET,
                    dev.vask.platform.signature.RequestSigning.stringToSign("POST", "/apps/4242/events", params));
            String query = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining("&")) + "&auth_signature=" + signature;
            // 100 MB announced, more than the platform's ceiling: refused from the header, before any of it is read
            out.write(("POST /apps/4242/events?" + query + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 104857600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            InputStream in = socket.getInputStream();
            int sent = 0;
            while (in.available() == 0 && sent < 20 * 1024 * 1024) {
                try {
                    out.write(chunk);
                }
                catch (java.io.IOException closedByServer) {
                    break;
                }
                sent += chunk.length;
            }
            byte[] head = in.readNBytes(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
            assertThat(sent).isLessThan(20 * 1024 * 1024);
        }
    }

    @Test
    void corsIsOffForTheApi() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        try {
            java.net.http.HttpResponse<String> preflight = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/apps/4242/events"))
                    .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
        SignedRequests.Response response = post("/apps/4242/events", EVENT);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private SignedRequests.Response get(String path, Map<String, String> params) {
        return requests().send("GET", path, params, "", PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET);
    }

    private static void assertError(SignedRequests.Response response, int status, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo("{\"error\":" + new com.google.gson.JsonPrimitive(message) + "}");
    }
}
