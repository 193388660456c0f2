package dev.vask.platform.vapid;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.pusher.rest.data.Result;
import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The key change event on real sockets: a socket open before a rotation hears {@code vask:vapid} with the new key
 * (the key the database holds) at once; a socket opened after it hears, right after
 * {@code pusher:connection_established}, the new key and never the old one, up to a sentinel event triggered
 * afterwards through the official server SDK.
 */
class VapidSocketTests extends ManagementApiTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void aSocketOpenBeforeARotationHearsTheNewKeyAndASocketOpenedAfterHearsOnlyTheNewKey() throws Exception {
        TestAccount owner = signUp();
        long app = VapidApiTests.pushApp(owner);
        Map<?, ?> credentials = owner.createKey(app);
        String appKey = (String) credentials.get("key");
        com.pusher.rest.Pusher sdk = new com.pusher.rest.Pusher(Long.toString(app), appKey, (String) credentials.get("secret"));
        sdk.setHost("127.0.0.1:" + port);
        sdk.setEncrypted(false);
        String first = VapidApiTests.keyRows(app).getFirst().publicKey();
        // the directory learns of the key from PostgreSQL's notification (milliseconds)
        await().atMost(Duration.ofSeconds(5)).until(() -> client.get().uri("/apps/{key}/vapid", appKey).exchange()
                .returnResult(String.class).getStatus().value() == 200);

        Socket before = Socket.open(port, appKey);
        assertThat(before.next().get("event").asString()).isEqualTo("pusher:connection_established");
        assertThat(vapidKey(before.next())).isEqualTo(first);
        before.subscribe("sentinel");

        owner.api().post().uri("/api/v1/apps/{app}/vapid/rotate", app).exchange().expectStatus().isOk();
        long rotatedAt = System.nanoTime();
        VapidKeys.CurrentKey current = currentKey(app);
        assertThat(current.publicKey()).isNotEqualTo(first);
        JsonNode changed = before.next();
        assertThat(Duration.ofNanos(System.nanoTime() - rotatedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(vapidKey(changed)).isEqualTo(current.publicKey());
        assertThat(changed.get("data").asString()).isEqualTo(current.event());

        Socket after = Socket.open(port, appKey);
        assertThat(after.next().get("event").asString()).isEqualTo("pusher:connection_established");
        JsonNode firstAfter = after.next();
        assertThat(vapidKey(firstAfter)).isEqualTo(current.publicKey());
        assertThat(firstAfter.get("data").asString()).isEqualTo(current.event());
        after.subscribe("sentinel");

        Result sent = sdk.trigger("sentinel", "sentinel", Map.of("n", 1));
        assertThat(sent.getStatus()).as(sent.getMessage()).isEqualTo(Result.Status.SUCCESS);
        for (Socket socket : List.of(before, after)) {
            List<String> untilSentinel = socket.until("sentinel");
            assertThat(untilSentinel).noneSatisfy(frame -> assertThat(frame).contains(first));
        }
        before.close();
        after.close();
        sdk.close();
    }

    private static VapidKeys.CurrentKey currentKey(long app) {
        VapidApiTests.KeyRow row = VapidApiTests.keyRows(app).getFirst();
        return new VapidKeys.CurrentKey(row.id(), app, row.publicKey(), row.createdAt());
    }

    static String vapidKey(JsonNode frame) {
        assertThat(frame.get("event").asString()).as(frame.toString()).isEqualTo("vask:vapid");
        assertThat(frame.has("channel")).isFalse();
        JsonNode event = JSON.readTree(frame.get("data").asString());
        assertThat(event.get("type").asString()).isEqualTo("vapid");
        assertThat(event.get("event").asString()).isEqualTo("changed");
        assertThat(event.get("at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        return event.get("key").asString();
    }

    /** A bare WebSocket client that keeps every frame in order (pusher-java-client does not expose connection-level events). */
    static final class Socket extends WebSocketClient {

        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

        private Socket(URI uri) {
            super(uri);
        }

        static Socket open(int port, String key) throws InterruptedException {
            Socket socket = new Socket(URI.create("ws://127.0.0.1:" + port + "/app/" + key + "?protocol=7&client=raw&version=1.0"));
            assertThat(socket.connectBlocking(5, TimeUnit.SECONDS)).as("WebSocket handshake").isTrue();
            return socket;
        }

        JsonNode next() throws InterruptedException {
            String frame = frames.poll(5, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 5 s").isNotNull();
            return JSON.readTree(frame);
        }

        void subscribe(String channel) throws InterruptedException {
            send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            JsonNode frame = next();
            assertThat(frame.get("event").asString()).as(frame.toString()).isEqualTo("pusher_internal:subscription_succeeded");
        }

        /** Every frame up to and including the first event of this name. */
        List<String> until(String event) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            while (true) {
                String frame = frames.poll(5, TimeUnit.SECONDS);
                assertThat(frame).as("the sentinel within 5 s, after " + seen).isNotNull();
                seen.add(frame);
                if (JSON.readTree(frame).get("event").asString().equals(event)) {
                    return seen;
                }
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            frames.add(message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
