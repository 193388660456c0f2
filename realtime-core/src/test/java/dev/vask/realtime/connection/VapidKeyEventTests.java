package dev.vask.realtime.connection;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.app.VapidKeyEvent;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's Web Push key reaches its sockets as the connection-level event {@code vask:vapid}: right after
 * {@code pusher:connection_established}, and at once to every open socket when the key changes. An older key
 * arriving late never replaces a newer one, and an app without a key sends nothing.
 */
@RealtimeServer
class VapidKeyEventTests {

    private static final String FIRST = "{\"type\":\"vapid\",\"event\":\"changed\",\"at\":\"2026-12-06T05:00:00.000001Z\",\"key\":\"BFirst\"}";
    private static final String SECOND = "{\"type\":\"vapid\",\"event\":\"changed\",\"at\":\"2026-12-06T05:10:00.123456Z\",\"key\":\"BSecond\"}";

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Test
    void aNewSocketHearsTheCurrentKeyRightAfterConnectionEstablished() {
        AppConfig app = TestApps.create(apps, a -> withPush(a).withVapidKey(new VapidKeyEvent(1, FIRST)));
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        String frame = socket.nextRaw();
        assertThat(frame).isEqualTo("{\"event\":\"vask:vapid\",\"data\":" + RawSocket.JSON.writeValueAsString(FIRST) + "}");
        socket.close();
    }

    @Test
    void aRotationReachesEveryOpenSocketOnceAndNewSocketsHearOnlyTheNewKey() {
        AppConfig app = TestApps.create(apps, a -> withPush(a).withVapidKey(new VapidKeyEvent(1, FIRST)));
        RawSocket first = RawSocket.connect(port, TestApps.key(app));
        RawSocket second = RawSocket.connect(port, TestApps.key(app));
        assertThat(data(first.nextEvent("vask:vapid"))).isEqualTo(FIRST);
        assertThat(data(second.nextEvent("vask:vapid"))).isEqualTo(FIRST);

        apps.put(app.withVapidKey(new VapidKeyEvent(2, SECOND)));
        assertThat(data(first.nextEvent("vask:vapid"))).isEqualTo(SECOND);
        assertThat(data(second.nextEvent("vask:vapid"))).isEqualTo(SECOND);

        RawSocket late = RawSocket.connect(port, TestApps.key(app));
        assertThat(data(late.next())).isEqualTo(SECOND);
        // a late config with the older key changes nothing: the next frame on every socket is the sentinel
        apps.put(app.withVapidKey(new VapidKeyEvent(1, FIRST)));
        for (RawSocket socket : new RawSocket[] {first, second, late}) {
            socket.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
            socket.expectSentinel("pusher:pong");
        }
        first.close();
        second.close();
        late.close();
    }

    @Test
    void anAppWithoutAKeySendsNothingAfterConnectionEstablished() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        socket.expectSentinel("pusher:pong");
        socket.close();
    }

    @Test
    void turningWebPushOffStopsNewSocketsHearingTheKey() {
        AppConfig app = TestApps.create(apps, a -> withPush(a).withVapidKey(new VapidKeyEvent(1, FIRST)));
        RawSocket open = RawSocket.connect(port, TestApps.key(app));
        assertThat(data(open.nextEvent("vask:vapid"))).isEqualTo(FIRST);
        apps.put(app.withVapidKey(null));
        org.awaitility.Awaitility.await().untilAsserted(() -> {
            RawSocket late = RawSocket.connect(port, TestApps.key(app));
            late.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
            late.expectSentinel("pusher:pong");
            late.close();
        });
        open.close();
    }

    private static AppConfig withPush(AppConfig app) {
        AppFeatures f = app.features();
        return TestApps.withFeatures(app, new AppFeatures(f.clientEvents(), f.userAuthenticationRequired(), f.watchlistEvents(),
                f.subscriptionCount(), true));
    }

    private static String data(JsonNode frame) {
        assertThat(frame.get("event").asString()).isEqualTo("vask:vapid");
        assertThat(frame.has("channel")).isFalse();
        return frame.get("data").asString();
    }
}
