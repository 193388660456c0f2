package dev.vask.platform.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import com.pusher.rest.data.Result;
import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.realtime.app.AppDirectory;
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
 * and its sockets closed within about a second, while the new key goes on working.
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
    void disablingTheAppClosesItsSocketsAndDeletingItRefusesThem() {
        TestAccount account = signUp();
        long app = account.createApp("Switched off");
        String key = (String) account.createKey(app).get("key");
        Socket socket = connect(key);
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.state() == ConnectionState.CONNECTED);
        account.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("enabled", false)).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> socket.state() == ConnectionState.DISCONNECTED);
        assertThat(socket.errors()).anySatisfy(error -> assertThat(error).contains("4003"));
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
