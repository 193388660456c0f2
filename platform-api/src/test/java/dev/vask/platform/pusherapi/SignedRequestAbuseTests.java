package dev.vask.platform.pusherapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PusherEvent;
import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.platform.signature.RequestSigning;
import dev.vask.platform.usage.UsageMeter;
import dev.vask.realtime.auth.SignatureVerifier;
import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an attacker can do with the Pusher HTTP API (the black-box audit's findings, each reproduced as it was
 * found): a captured signed URL publishes nothing new and replays nothing stale, unsigned requests cost no more
 * than their headers, absurd timestamps are a 401, keys are not enumerable, and only the app's own signed
 * requests count as its rejections.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SignedRequestAbuseTests {

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
    UsageMeter usage;

    @Autowired
    dev.vask.realtime.app.AppDirectory directory;

    @Test
    void aCapturedSignedUrlWithUpperCaseCopiesOfTimestampAndBodyMd5PublishesNothing() throws Exception {
        PusherApiTestApps.TestApp app = PusherApiTestApps.create(database, cipher, "");
        try (Subscriber subscriber = privateSubscriber(app)) {
            subscriber.subscribePrivate("private-orders", "sentinel", "forged", "paid");
            String path = "/apps/" + app.id() + "/events";
            // what a proxy's access log kept an hour ago
            String captured = Long.toString(Instant.now().getEpochSecond() - 3600);
            String capturedBody = "{\"name\":\"paid\",\"channel\":\"private-orders\",\"data\":\"{}\"}";
            Map<String, String> signed = new LinkedHashMap<>();
            signed.put("auth_key", app.key());
            signed.put("auth_timestamp", captured);
            signed.put("auth_version", "1.0");
            signed.put("body_md5", md5(capturedBody));
            String capturedSignature = RequestSigning.sign(app.secret(), RequestSigning.stringToSign("POST", path, signed));

            String forgedBody = "{\"name\":\"forged\",\"channel\":\"private-orders\",\"data\":\"{\\\"status\\\":\\\"refunded\\\"}\"}";
            String forged = "auth_key=" + app.key() + "&auth_timestamp=" + Instant.now().getEpochSecond() + "&auth_version=1.0&body_md5="
                    + md5(forgedBody) + "&AUTH_TIMESTAMP=" + captured + "&BODY_MD5=" + md5(capturedBody) + "&auth_signature=" + capturedSignature;
            SignedRequests.Response response = requests().raw("POST", path + "?" + forged, forgedBody, "application/json");
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("{\"error\":\"Duplicate query parameter: auth_timestamp (names are compared without regard to case)\"}");
            // nor alone: the captured signature is stale
            assertThat(requests().raw("POST", path + "?" + query(signed) + "&auth_signature=" + capturedSignature, capturedBody,
                    "application/json").status()).isEqualTo(401);

            SignedRequests.Response sentinel = requests().send("POST", path, Map.of(),
                    "{\"name\":\"sentinel\",\"channel\":\"private-orders\",\"data\":\"{}\"}", app.key(), app.secret());
            assertThat(sentinel.status()).isEqualTo(200);
            PusherEvent first = subscriber.next();
            assertThat(first.getEventName()).as("the forged event must never arrive before the sentinel").isEqualTo("sentinel");
        }
    }

    @Test
    void anHourOldSignedChannelQueryCannotBeReplayedWithAFreshUpperCaseTimestamp() {
        String path = "/apps/" + PlatformTestDatabase.APP_ID + "/channels";
        String captured = Long.toString(Instant.now().getEpochSecond() - 3600);
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("auth_key", PlatformTestDatabase.APP_KEY);
        signed.put("auth_timestamp", captured);
        signed.put("auth_version", "1.0");
        String signature = RequestSigning.sign(PlatformTestDatabase.APP_SECRET, RequestSigning.stringToSign("GET", path, signed));
        String replay = "auth_key=" + PlatformTestDatabase.APP_KEY + "&AUTH_TIMESTAMP=" + captured + "&auth_version=1.0&auth_timestamp="
                + Instant.now().getEpochSecond() + "&auth_signature=" + signature;
        SignedRequests.Response response = requests().raw("GET", path + "?" + replay, "", null);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(requests().raw("GET", path + "?" + query(signed) + "&auth_signature=" + signature, "", null).status()).isEqualTo(401);
    }

    @Test
    void anUnsignedRequestIsAnsweredFromItsHeadersAndItsConnectionClosedWithoutReadingTheBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            String query = "auth_key=" + PlatformTestDatabase.APP_KEY + "&auth_timestamp=" + Instant.now().getEpochSecond()
                    + "&auth_version=1.0&body_md5=0123456789abcdef0123456789abcdef&auth_signature=not-a-signature";
            // 20 MB announced, not a byte of it sent: the answer must not wait for it
            socket.getOutputStream().write(("POST /apps/" + PlatformTestDatabase.APP_ID + "/events?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 20971520\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close").contains("Invalid signature");
        }
    }

    @Test
    void aSignedRequestOverThePlatformCeilingIsRefusedFromItsContentLength() throws Exception {
        // this app allows 1 MiB messages (on a plan that does): what it needs (20 MiB and more) is over the platform's 16 MB ceiling
        database.execute("insert into plans (name, max_message_bytes, client_events_per_second) values ('Large messages', 1048576, 10)",
                "update tenants set plan_id = (select id from plans where name = 'Large messages') where id = (select min(id) from tenants)");
        PusherApiTestApps.TestApp app = PusherApiTestApps.create(database, cipher, "max_message_bytes = 1048576");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> directory.findById(new dev.vask.realtime.app.AppId(app.id()))
                .map(config -> config.limits().maxMessageBytes()).blockOptional(Duration.ofSeconds(2)).orElse(0) == 1048576);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            String path = "/apps/" + app.id() + "/events";
            Map<String, String> params = new LinkedHashMap<>();
            params.put("auth_key", app.key());
            params.put("auth_timestamp", Long.toString(Instant.now().getEpochSecond()));
            params.put("auth_version", "1.0");
            params.put("body_md5", "0123456789abcdef0123456789abcdef");
            String signature = RequestSigning.sign(app.secret(), RequestSigning.stringToSign("POST", path, params));
            socket.getOutputStream().write(("POST " + path + "?" + query(params) + "&auth_signature=" + signature + " HTTP/1.1\r\n"
                    + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: " + (16 * 1024 * 1024 + 1) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("Request body is larger than 16777216 bytes");
        }
    }

    @Test
    void aSignedRequestWhoseBodyOutgrowsTheLimitWhileArrivingIsRefused() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String path = "/apps/" + PlatformTestDatabase.APP_ID + "/events";
            Map<String, String> params = new LinkedHashMap<>();
            params.put("auth_key", PlatformTestDatabase.APP_KEY);
            params.put("auth_timestamp", Long.toString(Instant.now().getEpochSecond()));
            params.put("auth_version", "1.0");
            params.put("body_md5", "0123456789abcdef0123456789abcdef");
            String signature = RequestSigning.sign(PlatformTestDatabase.APP_SECRET, RequestSigning.stringToSign("POST", path, params));
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + "?" + query(params) + "&auth_signature=" + signature + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            InputStream in = socket.getInputStream();
            int sent = 0;
            // no length announced; the answer comes after the app's limit (about 330 KB) at most
            while (in.available() == 0 && sent < 20 * 1024 * 1024) {
                try {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                catch (IOException closedByServer) {
                    break;
                }
                sent += chunk.length;
            }
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
            // the kernel's socket buffers take a few MB before the answer shows; the ceiling alone would be 16 MB
            assertThat(sent).isLessThan(12 * 1024 * 1024);
        }
    }

    @Test
    void absurdTimestampsAreA401AndNeverAnErrorInTheLog(CapturedOutput output) {
        int before = output.getAll().length();
        for (String timestamp : new String[] {"100000000000000000", "-9223372036854775808", "9223372036854775807"}) {
            String query = "auth_key=" + PlatformTestDatabase.APP_KEY + "&auth_timestamp=" + URLEncoder.encode(timestamp, StandardCharsets.UTF_8)
                    + "&auth_version=1.0&auth_signature=x";
            SignedRequests.Response response = requests().raw("GET", "/apps/" + PlatformTestDatabase.APP_ID + "/channels?" + query, "", null);
            assertThat(response.status()).as(timestamp + ": " + response.body()).isEqualTo(401);
        }
        assertThat(output.getAll().substring(before)).doesNotContain("DateTimeException").doesNotContain(" ERROR ");
    }

    @Test
    void anUnknownKeyAndAnotherAppsKeyGetOneAnswer() {
        PusherApiTestApps.TestApp other = PusherApiTestApps.create(database, cipher, "");
        String event = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\"}";
        SignedRequests.Response foreign = requests().send("POST", "/apps/4242/events", Map.of(), event, other.key(), other.secret());
        SignedRequests.Response unknown = requests().send("POST", "/apps/4242/events", Map.of(), event, "no-such-key", "x");
        assertThat(foreign.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(foreign.body()).isEqualTo("{\"error\":\"Invalid auth_key: " + other.key() + " is not an active key of app 4242\"}");
        assertThat(unknown.body()).isEqualTo(foreign.body().replace(other.key(), "no-such-key"));
    }

    @Test
    void onlyRequestsSignedWithTheAppsOwnSecretCountAsItsRejections() throws Exception {
        PusherApiTestApps.TestApp app = PusherApiTestApps.create(database, cipher, "");
        String event = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\"}";
        for (int i = 0; i < 5; i++) {
            assertThat(requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), event, app.key(), "a-guessed-secret").status())
                    .isEqualTo(401);
            assertThat(requests().raw("POST", "/apps/" + app.id() + "/events?auth_key=" + app.key(), event, "application/json").status())
                    .isEqualTo(401);
        }
        // the app's own backend sends a bad event: that is its rejection
        assertThat(requests().send("POST", "/apps/" + app.id() + "/events", Map.of(), "{\"name\":\"e\"}", app.key(), app.secret()).status())
                .isEqualTo(400);
        usage.flush().block(Duration.ofSeconds(10));
        assertThat(rejectedToday(app.id())).isEqualTo(1L);
    }

    private static long rejectedToday(long app) throws java.sql.SQLException {
        try (java.sql.Connection connection = database.connect();
                java.sql.PreparedStatement query = connection.prepareStatement(
                        "select rejected from app_usage_daily where app_id = ? and day = ?")) {
            query.setLong(1, app);
            query.setObject(2, LocalDate.now(ZoneOffset.UTC));
            try (java.sql.ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("a usage row for app " + app + " today").isTrue();
                return row.getLong(1);
            }
        }
    }

    private SignedRequests requests() {
        return new SignedRequests(port);
    }

    private Subscriber privateSubscriber(PusherApiTestApps.TestApp app) {
        return new Subscriber(app.key(), new PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false)
                .setChannelAuthorizer((channel, socketId) -> "{\"auth\":\"" + app.key() + ":"
                        + SignatureVerifier.hmacHex(app.secret(), socketId + ":" + channel) + "\"}"));
    }

    private static String md5(String body) {
        return RequestSigning.md5Hex(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String query(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Everything the server sends until it closes the connection (a read timeout fails the test). */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            received.write(buffer, 0, read);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
