package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.List;

import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.testing.Auth;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** client- events: where they are allowed, who receives them, and what a client cannot forge. */
@RealtimeServer
class ClientEventTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeEvents events;

    @Test
    void clientEventOnPrivateChannelReachesOtherSubscribersAsSentButNotTheSender() {
        AppConfig app = TestApps.create(apps);
        RawSocket sender = subscribedPrivate(app, "private-chat");
        RawSocket receiver = subscribedPrivate(app, "private-chat");
        sender.sendJson("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"is_typing\":true,  \"n\":1.50}}");
        assertThat(receiver.nextRaw()).isEqualTo(
                "{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"is_typing\":true,  \"n\":1.50}}");
        // the receiver answers: had the sender's own event come back, it would be queued before the answer
        receiver.sendJson("{\"event\":\"client-answer\",\"channel\":\"private-chat\",\"data\":{}}");
        sender.expectSentinel("client-answer");
        sender.close();
        receiver.close();
    }

    @Test
    void clientEventDataIsForwardedExactlyAsReceived() {
        AppConfig app = TestApps.create(apps);
        RawSocket sender = subscribedPrivate(app, "private-raw");
        RawSocket receiver = subscribedPrivate(app, "private-raw");
        sender.sendJson("{\"event\":\"client-x\",\"channel\":\"private-raw\",\"data\":\"just a string\"}");
        assertThat(receiver.next().get("data").asString()).isEqualTo("just a string");
        sender.close();
        receiver.close();
    }

    @Test
    void presenceClientEventsCarryTheSendersUserIdAndASpoofedOneIsReplaced() {
        AppConfig app = TestApps.create(apps);
        RawSocket sender = joinedPresence(app, "presence-chat", "{\"user_id\":\"real\"}");
        RawSocket receiver = joinedPresence(app, "presence-chat", "{\"user_id\":\"other\"}");
        sender.nextEvent("pusher_internal:member_added");
        sender.sendJson("{\"event\":\"client-msg\",\"channel\":\"presence-chat\",\"data\":{},\"user_id\":\"admin\"}");
        JsonNode event = receiver.nextEvent("client-msg");
        assertThat(event.get("user_id").asString()).isEqualTo("real");
        sender.close();
        receiver.close();
    }

    @Test
    void clientEventsAreRejectedOnPublicAndEncryptedChannelsAndWhenNotSubscribed() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribed("public-room");
        socket.sendJson("{\"event\":\"client-x\",\"channel\":\"public-room\",\"data\":{}}");
        assertRejected(socket, 4303, "Client event rejected - only supported on private and presence channels");
        socket.subscribe("private-encrypted-room", Auth.channel(app, socket.socketId(), "private-encrypted-room"));
        socket.nextEvent("pusher_internal:subscription_succeeded");
        socket.sendJson("{\"event\":\"client-x\",\"channel\":\"private-encrypted-room\",\"data\":{}}");
        assertRejected(socket, 4303, "Client event rejected - only supported on private and presence channels");
        socket.sendJson("{\"event\":\"client-x\",\"channel\":\"private-elsewhere\",\"data\":{}}");
        assertRejected(socket, 4303, "Client event rejected - not subscribed to private-elsewhere");
        socket.close();
    }

    @Test
    void clientEventsAreRejectedWhenTheAppDoesNotEnableThem() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withFeatures(a, new AppFeatures(false, false, false, false, false)));
        RawSocket socket = subscribedPrivate(app, "private-off");
        socket.sendJson("{\"event\":\"client-x\",\"channel\":\"private-off\",\"data\":{}}");
        assertRejected(socket, 4303, "Client events are not enabled for this app");
        socket.close();
    }

    @Test
    void excessClientEventsGet4301AndTheConnectionStaysOpen() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(null, 10240, 5, 100, null)));
        RawSocket sender = subscribedPrivate(app, "private-fast");
        RawSocket receiver = subscribedPrivate(app, "private-fast");
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            sender.sendJson("{\"event\":\"client-tick\",\"channel\":\"private-fast\",\"data\":{\"i\":" + i + "}}");
        }
        sender.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}"); // answered once the twenty are handled
        int limited = 0;
        JsonNode frame;
        while (!(frame = sender.next()).get("event").asString().equals("pusher:pong")) {
            assertThat(frame.get("data").get("code").asInt()).isEqualTo(4301);
            assertThat(frame.get("data").get("message").asString()).isEqualTo("Client event rejected due to rate limit");
            limited++;
        }
        // the bucket holds 5 and refills at 5 a second: a slow machine may let a few more through, never more
        double seconds = (System.nanoTime() - start) / 1e9;
        int delivered = 20 - limited;
        assertThat(delivered).isBetween(5, 5 + (int) Math.ceil(5 * seconds));
        for (int i = 0; i < delivered; i++) {
            assertThat(receiver.next().get("event").asString()).isEqualTo("client-tick");
        }
        // every event the sender's loop accepted was on its way before the pong: one more would come before this
        trigger(app, "private-fast", "sentinel");
        receiver.expectSentinel("sentinel");
        assertThat(sender.isClosedOrClosing()).isFalse();
        sender.subscribed("still-open");
        sender.close();
        receiver.close();
    }

    @Test
    void clientEventLargerThanTheAppsMessageLimitIsRejected() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(null, 100, 10, 100, null)));
        RawSocket sender = subscribedPrivate(app, "private-big");
        sender.sendJson("{\"event\":\"client-big\",\"channel\":\"private-big\",\"data\":\"" + "x".repeat(150) + "\"}");
        assertRejected(sender, 4303, "Client event data is larger than 100 bytes");
        sender.close();
    }

    @Test
    void clientEventSizeIsTheBytesOfItsDataValueAsPusherCountsThem() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(null, 100, 100, 100, null)));
        RawSocket sender = subscribedPrivate(app, "private-sized");
        RawSocket receiver = subscribedPrivate(app, "private-sized");
        // exactly 100 bytes of value: the quotes do not count, nor do escapes count as written
        sender.sendJson("{\"event\":\"client-a\",\"channel\":\"private-sized\",\"data\":\"" + "x".repeat(100) + "\"}");
        assertThat(receiver.nextEvent("client-a")).isNotNull();
        sender.sendJson("{\"event\":\"client-b\",\"channel\":\"private-sized\",\"data\":\"" + "\\u00e9".repeat(50) + "\"}");
        assertThat(receiver.nextEvent("client-b")).isNotNull();
        // 34 euro signs are 34 characters but 102 bytes
        sender.sendJson("{\"event\":\"client-c\",\"channel\":\"private-sized\",\"data\":\"" + "\u20ac".repeat(34) + "\"}");
        assertRejected(sender, 4303, "Client event data is larger than 100 bytes");
        sender.sendJson("{\"event\":\"client-d\",\"channel\":\"private-sized\",\"data\":\"" + "\u00e9".repeat(51) + "\"}");
        assertRejected(sender, 4303, "Client event data is larger than 100 bytes");
        // an object counts as its JSON text: {"v":"..."} is 8 bytes around the value
        sender.sendJson("{\"event\":\"client-e\",\"channel\":\"private-sized\",\"data\":{\"v\":\"" + "y".repeat(92) + "\"}}");
        assertThat(receiver.nextEvent("client-e")).isNotNull();
        sender.sendJson("{\"event\":\"client-f\",\"channel\":\"private-sized\",\"data\":{\"v\":\"" + "y".repeat(93) + "\"}}");
        assertRejected(sender, 4303, "Client event data is larger than 100 bytes");
        sender.close();
        receiver.close();
    }

    @Test
    void clientsCannotSendInternalOrUnknownEvents() {
        AppConfig app = TestApps.create(apps);
        RawSocket sender = subscribedPrivate(app, "private-internal");
        RawSocket receiver = subscribedPrivate(app, "private-internal");
        sender.sendJson("{\"event\":\"pusher_internal:member_added\",\"channel\":\"private-internal\",\"data\":\"{\\\"user_id\\\":\\\"x\\\"}\"}");
        assertRejected(sender, 4300, "Clients cannot send pusher_internal: events");
        sender.sendJson("{\"event\":\"my-event\",\"channel\":\"private-internal\",\"data\":{}}");
        assertRejected(sender, 4300, "Unknown event: my-event");
        sender.sendJson("{\"event\":\"client-sentinel\",\"channel\":\"private-internal\",\"data\":{}}");
        receiver.expectSentinel("client-sentinel");
        sender.close();
        receiver.close();
    }

    private RawSocket subscribedPrivate(AppConfig app, String channel) {
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe(channel, Auth.channel(app, socket.socketId(), channel));
        socket.nextEvent("pusher_internal:subscription_succeeded");
        return socket;
    }

    private RawSocket joinedPresence(AppConfig app, String channel, String channelData) {
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribePresence(channel, Auth.presence(app, socket.socketId(), channel, channelData), channelData);
        socket.nextEvent("pusher_internal:subscription_succeeded");
        return socket;
    }

    private void trigger(AppConfig app, String channel, String event) {
        events.trigger(app.id(), List.of(ChannelName.parse(channel).orElseThrow()), event, "{}", null).block(Duration.ofSeconds(5));
    }

    static void assertRejected(RawSocket socket, int code, String message) {
        JsonNode error = socket.next();
        assertThat(error.get("event").asString()).isEqualTo("pusher:error");
        assertThat(error.get("data").get("code").asInt()).isEqualTo(code);
        assertThat(error.get("data").get("message").asString()).isEqualTo(message);
    }
}
