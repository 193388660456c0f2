package dev.vask.realtime.connection;

import java.util.List;

import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.metrics.AppTraffic;
import dev.vask.realtime.metrics.Refusal;
import dev.vask.realtime.testing.Auth;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What real sockets make an app's metrics count: connections, subscriptions, client events, deliveries, refusals by reason. */
@RealtimeServer
class AppTrafficTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeEvents events;

    @Autowired
    Hub hub;

    @Test
    void connectionsAndSubscriptionsFollowTheSocketsOfTheApp() {
        AppConfig app = TestApps.create(apps);
        AppTraffic traffic = hub.traffic(app.id());
        RawSocket a = RawSocket.connect(port, TestApps.key(app));
        RawSocket b = RawSocket.connect(port, TestApps.key(app));
        a.subscribed("one");
        a.subscribed("two");
        b.subscribed("one");
        assertThat(traffic.connections()).isEqualTo(2);
        assertThat(traffic.subscriptions()).isEqualTo(3);
        a.unsubscribe("two");
        b.close();
        await().until(() -> traffic.connections() == 1 && traffic.subscriptions() == 1);
        a.close();
        await().until(() -> traffic.connections() == 0 && traffic.subscriptions() == 0);
    }

    @Test
    void deliveriesCountOnePerReceivingSocketAndClientEventsAsMessages() {
        AppConfig app = TestApps.create(apps);
        AppTraffic traffic = hub.traffic(app.id());
        RawSocket sender = subscribedPrivate(app, "private-room");
        RawSocket receiver = subscribedPrivate(app, "private-room");
        events.trigger(app.id(), List.of(ChannelName.parse("private-room").orElseThrow()), "news", "{}", null).block();
        sender.nextEvent("news");
        receiver.nextEvent("news");
        sender.sendJson("{\"event\":\"client-typing\",\"channel\":\"private-room\",\"data\":{}}");
        receiver.nextEvent("client-typing");
        assertThat(traffic.clientEvents()).isEqualTo(1);
        // the server event reached two sockets, the client event one (never its sender)
        await().until(() -> traffic.deliveries() == 3);
        sender.close();
        receiver.close();
    }

    @Test
    void refusalsAreCountedByReason() {
        AppConfig app = TestApps.create(apps);
        AppTraffic traffic = hub.traffic(app.id());
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        // auth: a private channel with a forged signature
        socket.subscribe("private-secret", TestApps.key(app) + ":" + "0".repeat(64));
        socket.nextEvent("pusher:subscription_error");
        // invalid: a message that is not JSON
        socket.sendJson("not json");
        socket.nextEvent("pusher:error");
        // limit: a message larger than the app allows
        socket.sendJson("{\"event\":\"pusher:ping\",\"data\":\"" + "x".repeat(app.limits().maxMessageBytes() + 8 * 1024) + "\"}");
        socket.nextEvent("pusher:error");
        assertThat(traffic.refusals(Refusal.AUTH)).isEqualTo(1);
        assertThat(traffic.refusals(Refusal.INVALID)).isEqualTo(1);
        assertThat(traffic.refusals(Refusal.LIMIT)).isEqualTo(1);
        assertThat(traffic.refusals(Refusal.OVERLOAD)).isZero();
        socket.close();
    }

    private RawSocket subscribedPrivate(AppConfig app, String channel) {
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe(channel, Auth.channel(app, socket.socketId(), channel));
        socket.nextEvent("pusher_internal:subscription_succeeded");
        return socket;
    }
}
