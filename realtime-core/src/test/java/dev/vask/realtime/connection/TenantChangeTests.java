package dev.vask.realtime.connection;

import java.util.List;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.testing.Auth;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes to an app reach its open sockets at once. */
@RealtimeServer
class TenantChangeTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Test
    void disablingAnAppClosesItsSocketsWith4003AndNoOtherAppsSockets() {
        AppConfig app = TestApps.create(apps);
        AppConfig other = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        RawSocket bystander = RawSocket.connect(port, TestApps.key(other));
        apps.put(TestApps.disabled(app));
        assertThat(socket.nextEvent("pusher:error").get("data").get("code").asInt()).isEqualTo(4003);
        assertThat(socket.awaitClose()).isEqualTo(4003);
        assertThat(bystander.subscribed("fine").get("event").asString()).isEqualTo("pusher_internal:subscription_succeeded");
        bystander.close();
    }

    @Test
    void revokingAKeyClosesOnlyTheSocketsOpenedWithIt() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withCredentials(a,
                List.of(a.credentials().getFirst(), new AppCredential("second-" + a.id(), "second-secret"))));
        RawSocket oldKey = RawSocket.connect(port, TestApps.key(app));
        RawSocket newKey = RawSocket.connect(port, "second-" + app.id());
        apps.put(TestApps.withCredentials(app, List.of(new AppCredential("second-" + app.id(), "second-secret"))));
        assertThat(oldKey.nextEvent("pusher:error").get("data").get("message").asString()).isEqualTo("App key was revoked");
        assertThat(oldKey.awaitClose()).isEqualTo(4001);
        assertThat(newKey.subscribed("fine").get("event").asString()).isEqualTo("pusher_internal:subscription_succeeded");
        RawSocket refused = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=7");
        assertThat(refused.awaitClose()).isEqualTo(4001);
        newKey.close();
    }

    @Test
    void deletingAnAppClosesItsSockets() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        apps.remove(app.id());
        assertThat(socket.awaitClose()).isEqualTo(4001);
    }

    @Test
    void aChangedLimitAppliesToOpenSocketsAtOnce() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe("private-limits", Auth.channel(app, socket.socketId(), "private-limits"));
        socket.nextEvent("pusher_internal:subscription_succeeded");
        apps.put(TestApps.withLimits(app, new AppLimits(null, 10, 10, 100, null)));
        org.awaitility.Awaitility.await().untilAsserted(() -> {
            socket.sendJson("{\"event\":\"client-x\",\"channel\":\"private-limits\",\"data\":\"0123456789abcdef\"}");
            assertThat(socket.next().get("data").get("message").asString()).isEqualTo("Client event data is larger than 10 bytes");
        });
        socket.close();
    }
}
