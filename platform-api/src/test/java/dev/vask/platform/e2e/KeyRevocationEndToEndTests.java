package dev.vask.platform.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import com.pusher.rest.data.Result;
import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.realtime.app.AppDirectory;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The management API driving the Pusher HTTP API and the realtime server, end to end with the official
 * SDKs (pusher-http-java on the server side, pusher-java-client for sockets): sign up, create an app and a
 * key, trigger with it, rotate to a second key, revoke the first; the revoked key's triggers are refused
 * and its sockets closed within about a second, while the new key goes on working. Disabling an app, deleting it
 * or deleting its tenant closes its sockets with the close code that says so and refuses its API calls, on the
 * PostgreSQL path (the database announces the change, every node applies it).
 */
class KeyRevocationEndToEndTests extends ManagementApiTestSupport {

    @LocalServerPort
    int port;

    @Autowired
    AppDirectory directory;

    private final List<Pusher> clients = new CopyOnWriteArrayList<>();
    private final List<com.pusher.rest.Pusher> sdks = new CopyOnWriteArrayList<>();

    @AfterEach
    void disconnect() throws Exception {
        clients.forEach(Pusher::disconnect);
        for (com.pusher.rest.Pusher sdk : sdks) {
            sdk.close();
        }
    }

    @Test
    void signUpCreateAppAndKeyTriggerThenRevokeRefusesTheKeyAndClosesItsSocketsOnly() {
        TestAccount account = signUp();
        long app = account.createApp("End to end");
        Map<?, ?> first = account.createKey(app);
        String oldKey = (String) first.get("key");
        com.pusher.rest.Pusher oldSdk = sdk(app, oldKey, (String) first.get("secret"));
        Socket old = connect(oldKey);
        await().atMost(Duration.ofSeconds(5)).until(() -> old.state() == ConnectionState.CONNECTED);
        List<String> received = new CopyOnWriteArrayList<>();
        old.pusher().subscribe("orders").bind("order.updated", event -> received.add(event.getData()));
        await().atMost(Duration.ofSeconds(5)).until(() -> old.pusher().getChannel("orders").isSubscribed());
        Result delivered = oldSdk.trigger("orders", "order.updated", Map.of("status", "paid"));
        assertThat(delivered.getStatus()).as(delivered.getMessage()).isEqualTo(Result.Status.SUCCESS);
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("{\"status\":\"paid\"}"));

        Map<?, ?> second = account.createKey(app);
        String newKey = (String) second.get("key");
        com.pusher.rest.Pusher newSdk = sdk(app, newKey, (String) second.get("secret"));
        // this node may hold the app with only the old key until Postgres announces the new one (milliseconds)
        await().atMost(Duration.ofSeconds(2)).until(() -> directory.findByKey(newKey).block(Duration.ofSeconds(5)) != null);
        Socket rotated = connect(newKey);
        await().atMost(Duration.ofSeconds(5)).until(() -> rotated.state() == ConnectionState.CONNECTED);

        account.api().post().uri("/api/v1/apps/{app}/keys/{key}/revoke", app, oldKey).contentType(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isOk();
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> old.state() == ConnectionState.DISCONNECTED);
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(old.errors()).anySatisfy(error -> assertThat(error).contains("4001"));
        assertThat(directory.findByKey(oldKey).block(Duration.ofSeconds(5))).isNull();
        assertThat(rotated.state()).isEqualTo(ConnectionState.CONNECTED);

        // the same trigger with the revoked key is refused; the new key's is accepted
        Result refused = oldSdk.trigger("orders", "order.updated", Map.of("status", "refunded"));
        assertThat(refused.getStatus()).isNotEqualTo(Result.Status.SUCCESS);
        assertThat(refused.getHttpStatus()).isEqualTo(401);
        Result accepted = newSdk.trigger("orders", "order.updated", Map.of("status", "shipped"));
        assertThat(accepted.getStatus()).as(accepted.getMessage()).isEqualTo(Result.Status.SUCCESS);

        // a new socket with the revoked key is refused at once
        Socket again = connect(oldKey);
        await().atMost(Duration.ofSeconds(5)).until(() -> !again.errors().isEmpty());
        assertThat(again.errors()).anySatisfy(error -> assertThat(error).contains("4001"));
        assertThat(again.state()).isNotEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void disablingTheAppClosesItsSocketsWith4003AndRefusesItsApiCalls() throws Exception {
        TestAccount account = signUp();
        long app = account.createApp("Switched off");
        Map<?, ?> credentials = account.createKey(app);
        String key = (String) credentials.get("key");
        com.pusher.rest.Pusher sdk = sdk(app, key, (String) credentials.get("secret"));
        Socket socket = connect(key);
        RawClient raw = RawClient.open(port, key);
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.state() == ConnectionState.CONNECTED);
        account.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("enabled", false)).exchange().expectStatus().isOk();
        assertThat(raw.awaitClose()).isEqualTo(new Close(4003, "Application disabled"));
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> socket.state() == ConnectionState.DISCONNECTED);
        assertThat(socket.errors()).anySatisfy(error -> assertThat(error).contains("4003"));
        Result refused = sdk.trigger("orders", "order.updated", Map.of("status", "paid"));
        assertThat(refused.getHttpStatus()).as(refused.getMessage()).isEqualTo(403);
    }

    @Test
    void deletingTheAppClosesItsSocketsWith4001AndRefusesItsApiCallsWhileTheTenantsOtherAppWorksOn() throws Exception {
        TestAccount account = signUp();
        Running deleted = running(account, "Deleted");
        Running kept = running(account, "Kept");

        account.api().delete().uri("/api/v1/apps/{app}", deleted.app()).exchange().expectStatus().isNoContent();

        deleted.assertGone();
        kept.assertWorking();
    }

    @Test
    void deletingATenantClosesTheSocketsOfEveryOneOfItsAppsAndRefusesTheirApiCalls() throws Exception {
        TestAccount owner = signUp();
        Map<?, ?> created = owner.api().post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Short-lived")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        long tenant = ((Number) created.get("id")).longValue();
        TestAccount inTenant = new TestAccount(owner.client(), owner.id(), owner.email(), owner.password(), tenant, owner.address(),
                owner.sessionCookie(), owner.csrfToken(), owner.token());
        Running first = running(inTenant, "First");
        Running second = running(inTenant, "Second");
        Running elsewhere = running(owner, "In the account's first tenant");

        owner.api().delete().uri("/api/v1/tenants/{tenant}", tenant).exchange().expectStatus().isNoContent();

        first.assertGone();
        second.assertGone();
        elsewhere.assertWorking();
    }

    /** An app with a key, an SDK for its HTTP API, a pusher-java-client socket and a raw socket, both subscribed. */
    private Running running(TestAccount account, String name) throws Exception {
        long app = account.createApp(name);
        Map<?, ?> credentials = account.createKey(app);
        String key = (String) credentials.get("key");
        com.pusher.rest.Pusher sdk = sdk(app, key, (String) credentials.get("secret"));
        Socket socket = connect(key);
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.state() == ConnectionState.CONNECTED);
        RawClient raw = RawClient.open(port, key);
        raw.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"orders\"}}");
        raw.awaitEvent("pusher_internal:subscription_succeeded");
        Result delivered = sdk.trigger("orders", "order.updated", Map.of("status", "paid"));
        assertThat(delivered.getStatus()).as(delivered.getMessage()).isEqualTo(Result.Status.SUCCESS);
        raw.awaitEvent("order.updated");
        return new Running(app, key, sdk, socket, raw);
    }

    private final class Running {

        private final long app;
        private final String key;
        private final com.pusher.rest.Pusher sdk;
        private final Socket socket;
        private final RawClient raw;

        Running(long app, String key, com.pusher.rest.Pusher sdk, Socket socket, RawClient raw) {
            this.app = app;
            this.key = key;
            this.sdk = sdk;
            this.socket = socket;
            this.raw = raw;
        }

        long app() {
            return app;
        }

        /** Its sockets were closed with 4001, its API calls are refused, and its key no longer connects. */
        void assertGone() throws Exception {
            assertThat(raw.awaitClose()).isEqualTo(new Close(4001, "App no longer exists"));
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> socket.state() == ConnectionState.DISCONNECTED);
            assertThat(socket.errors()).anySatisfy(error -> assertThat(error).contains("4001"));
            Result refused = sdk.trigger("orders", "order.updated", Map.of("status", "refunded"));
            assertThat(refused.getHttpStatus()).as(refused.getMessage()).isEqualTo(401);
            assertThat(sdk.get("/channels").getHttpStatus()).isEqualTo(401);
            RawClient again = new RawClient(URI.create("ws://127.0.0.1:" + port + "/app/" + key + "?protocol=7"));
            again.connect(); // the server may close it before the handshake is seen as complete
            assertThat(again.awaitClose().code()).isEqualTo(4001);
            assertThat(directory.findByKey(key).block(Duration.ofSeconds(5))).isNull();
        }

        /** Its sockets are open and subscribed, and an event triggered now reaches them. */
        void assertWorking() throws Exception {
            Result delivered = sdk.trigger("orders", "order.updated", Map.of("status", "still here"));
            assertThat(delivered.getStatus()).as(delivered.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(raw.awaitEvent("order.updated")).contains("still here");
            assertThat(raw.isOpen()).isTrue();
            assertThat(socket.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    private record Close(int code, String reason) {
    }

    /** A bare WebSocket client that shows the close code and reason, which the SDK keeps to itself. */
    private static final class RawClient extends WebSocketClient {

        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Close> closed = new CompletableFuture<>();

        private RawClient(URI uri) {
            super(uri);
        }

        static RawClient open(int port, String key) throws InterruptedException {
            RawClient client = new RawClient(URI.create("ws://127.0.0.1:" + port + "/app/" + key + "?protocol=7&client=raw&version=1.0"));
            assertThat(client.connectBlocking(5, TimeUnit.SECONDS)).as("WebSocket handshake").isTrue();
            return client;
        }

        String awaitEvent(String event) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                String message = messages.poll(100, TimeUnit.MILLISECONDS);
                if (message != null && message.startsWith("{\"event\":\"" + event + "\"")) {
                    return message;
                }
            }
            throw new AssertionError("no " + event + " within 5 s");
        }

        Close awaitClose() throws Exception {
            return closed.get(5, TimeUnit.SECONDS);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            messages.add(message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closed.complete(new Close(code, reason));
        }

        @Override
        public void onError(Exception ex) {
        }
    }

    private com.pusher.rest.Pusher sdk(long app, String key, String secret) {
        com.pusher.rest.Pusher sdk = new com.pusher.rest.Pusher(Long.toString(app), key, secret);
        sdk.setHost("127.0.0.1:" + port);
        sdk.setEncrypted(false);
        sdks.add(sdk);
        return sdk;
    }

    private Socket connect(String key) {
        PusherOptions options = new PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false);
        Pusher pusher = new Pusher(key, options);
        clients.add(pusher);
        Socket socket = new Socket(pusher, new CopyOnWriteArrayList<>());
        pusher.connect(new ConnectionEventListener() {
            @Override
            public void onConnectionStateChange(ConnectionStateChange change) {
            }

            @Override
            public void onError(String message, @Nullable String code, @Nullable Exception e) {
                socket.errors().add(code + " " + message);
            }
        }, ConnectionState.ALL);
        return socket;
    }

    private record Socket(Pusher pusher, List<String> errors) {

        ConnectionState state() {
            return pusher.getConnection().getState();
        }
    }
}
