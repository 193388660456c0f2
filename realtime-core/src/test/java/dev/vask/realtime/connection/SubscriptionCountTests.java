package dev.vask.realtime.connection;

import java.util.ArrayList;
import java.util.List;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.testing.Auth;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** pusher_internal:subscription_count: only when enabled, never on presence, debounced. */
@RealtimeServer
class SubscriptionCountTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Test
    void subscribersLearnTheCountWhenItChanges() {
        AppConfig app = counting();
        RawSocket first = RawSocket.connect(port, TestApps.key(app));
        first.subscribed("counted");
        assertThat(first.nextEvent("pusher_internal:subscription_count").get("data").asString()).isEqualTo("{\"subscription_count\":1}");
        RawSocket second = RawSocket.connect(port, TestApps.key(app));
        second.subscribed("counted");
        assertThat(first.nextEvent("pusher_internal:subscription_count").get("data").asString()).isEqualTo("{\"subscription_count\":2}");
        second.close();
        assertThat(first.nextEvent("pusher_internal:subscription_count").get("data").asString()).isEqualTo("{\"subscription_count\":1}");
        first.close();
    }

    @Test
    void aMassJoinProducesAFewUpdatesNotOnePerSubscriber() {
        AppConfig app = counting();
        List<RawSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            RawSocket socket = RawSocket.connect(port, TestApps.key(app));
            socket.subscribe("busy");
            sockets.add(socket);
        }
        RawSocket first = sockets.getFirst();
        int updates = 0;
        String last = null;
        while (!"{\"subscription_count\":60}".equals(last)) {
            last = first.nextEvent("pusher_internal:subscription_count").get("data").asString();
            updates++;
        }
        assertThat(updates).isLessThan(15);
        sockets.forEach(RawSocket::close);
    }

    @Test
    void noCountWhenTheAppDoesNotEnableThem() {
        AppConfig off = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(off));
        socket.subscribed("quiet");
        // the sentinel: with counting switched on now, a channel joined later gets its count; a count of
        // "quiet" would have been scheduled earlier on the same loop, with the same delay, so would come first
        apps.put(TestApps.withFeatures(off, new AppFeatures(true, false, false, true, false)));
        socket.subscribed("counted-now");
        assertThat(socket.nextEvent("pusher_internal:subscription_count").get("channel").asString()).isEqualTo("counted-now");
        socket.close();
    }

    @Test
    void noCountOnPresenceChannels() {
        AppConfig on = counting();
        RawSocket member = RawSocket.connect(port, TestApps.key(on));
        member.subscribePresence("presence-room", Auth.presence(on, member.socketId(), "presence-room", "{\"user_id\":\"1\"}"), "{\"user_id\":\"1\"}");
        member.nextEvent("pusher_internal:subscription_succeeded");
        member.subscribed("counted"); // its count is the sentinel, scheduled after any count of presence-room
        assertThat(member.nextEvent("pusher_internal:subscription_count").get("channel").asString()).isEqualTo("counted");
        member.close();
    }

    private AppConfig counting() {
        return TestApps.create(apps, a -> TestApps.withFeatures(a, new AppFeatures(true, false, false, true, false)));
    }
}
