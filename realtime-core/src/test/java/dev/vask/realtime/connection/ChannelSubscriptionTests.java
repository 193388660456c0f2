package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.List;

import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
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

/** Subscribing to each channel type, and what subscribers receive. */
@RealtimeServer
class ChannelSubscriptionTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeEvents events;

    @Test
    void publicSubscriptionSucceedsWithEmptyDataAndReceivesPublishedEvents() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        JsonNode succeeded = socket.subscribed("orders");
        assertThat(succeeded.get("channel").asString()).isEqualTo("orders");
        assertThat(succeeded.get("data").asString()).isEqualTo("{}");

        trigger(app, "orders", "order.updated", "{\"status\":\"paid\"}", null);
        JsonNode event = socket.next();
        assertThat(event.toString()).isEqualTo("{\"event\":\"order.updated\",\"channel\":\"orders\",\"data\":\"{\\\"status\\\":\\\"paid\\\"}\"}");
        socket.close();
    }

    @Test
    void eventDataIsDeliveredByteForByteWhateverItHolds() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribed("feed");
        String data = "plain text, \"quotes\", \\ backslash, \n newline, \u00e9t\u00e9, \uD83D\uDE80, \u0001";
        trigger(app, "feed", "note", data, null);
        assertThat(socket.next().get("data").asString()).isEqualTo(data);
        socket.close();
    }

    @Test
    void excludedSocketDoesNotReceiveTheEventButOthersDo() {
        AppConfig app = TestApps.create(apps);
        RawSocket sender = RawSocket.connect(port, TestApps.key(app));
        RawSocket other = RawSocket.connect(port, TestApps.key(app));
        sender.subscribed("room");
        other.subscribed("room");
        trigger(app, "room", "moved", "{}", sender.socketId());
        assertThat(other.next().get("event").asString()).isEqualTo("moved");
        trigger(app, "room", "sentinel", "{}", null); // published after, so delivered after: nothing may come first
        sender.expectSentinel("sentinel");
        sender.close();
        other.close();
    }

    @Test
    void eventsOfOneAppNeverReachAnotherAppsSocketsOnTheSameChannelName() {
        AppConfig first = TestApps.create(apps);
        AppConfig second = TestApps.create(apps);
        RawSocket a = RawSocket.connect(port, TestApps.key(first));
        RawSocket b = RawSocket.connect(port, TestApps.key(second));
        a.subscribed("shared-name");
        b.subscribed("shared-name");
        trigger(first, "shared-name", "only-for-first", "{}", null);
        assertThat(a.next().get("event").asString()).isEqualTo("only-for-first");
        trigger(second, "shared-name", "sentinel", "{}", null);
        b.expectSentinel("sentinel");
        a.close();
        b.close();
    }

    @Test
    void privateChannelNeedsASignatureOverThisSocketIdAndChannel() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe("private-orders", Auth.channel(app, socket.socketId(), "private-orders"));
        assertThat(socket.next().get("event").asString()).isEqualTo("pusher_internal:subscription_succeeded");
        socket.close();
    }

    @Test
    void signatureForAnotherSocketIdIsRejectedWithErrorAndSubscriptionError() {
        AppConfig app = TestApps.create(apps);
        RawSocket victim = RawSocket.connect(port, TestApps.key(app));
        RawSocket attacker = RawSocket.connect(port, TestApps.key(app));
        attacker.subscribe("private-orders", Auth.channel(app, victim.socketId(), "private-orders"));
        JsonNode error = attacker.next();
        assertThat(error.get("event").asString()).isEqualTo("pusher:error");
        assertThat(error.get("data").get("code").asInt()).isEqualTo(4304);
        assertThat(error.get("data").get("message").asString()).startsWith("Invalid signature: expected the HMAC SHA256 hex digest of '"
                + attacker.socketId() + ":private-orders'");
        JsonNode channelError = attacker.next();
        assertThat(channelError.get("event").asString()).isEqualTo("pusher:subscription_error");
        assertThat(channelError.get("channel").asString()).isEqualTo("private-orders");
        assertThat(channelError.get("data").get("type").asString()).isEqualTo("AuthError");
        assertThat(channelError.get("data").get("status").asInt()).isEqualTo(401);
        attacker.subscribed("still-usable"); // the socket stays open
        victim.close();
        attacker.close();
    }

    @Test
    void signatureForAnotherChannelOrWithAnotherAppsSecretIsRejected() {
        AppConfig app = TestApps.create(apps);
        AppConfig other = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe("private-a", Auth.channel(app, socket.socketId(), "private-b"));
        assertThat(socket.nextEvent("pusher:subscription_error").get("channel").asString()).isEqualTo("private-a");
        socket.subscribe("private-a", Auth.channel(other, socket.socketId(), "private-a"));
        assertThat(socket.nextEvent("pusher:subscription_error").get("channel").asString()).isEqualTo("private-a");
        socket.subscribe("private-a", "");
        assertThat(socket.nextEvent("pusher:subscription_error").get("channel").asString()).isEqualTo("private-a");
        socket.close();
    }

    @Test
    void anyNonRevokedKeyOfTheAppCanSignSoSecretsRollWithoutDowntime() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withCredentials(a,
                List.of(a.credentials().getFirst(), new AppCredential("rolled-" + a.id(), "new-secret"))));
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        String auth = "rolled-" + app.id() + ":" + dev.vask.realtime.auth.SignatureVerifier.hmacHex("new-secret", socket.socketId() + ":private-x");
        socket.subscribe("private-x", auth);
        assertThat(socket.next().get("event").asString()).isEqualTo("pusher_internal:subscription_succeeded");
        socket.close();
    }

    @Test
    void encryptedChannelsSubscribeLikePrivateOnesAndCarryCiphertextUntouched() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe("private-encrypted-doc", Auth.channel(app, socket.socketId(), "private-encrypted-doc"));
        assertThat(socket.next().get("event").asString()).isEqualTo("pusher_internal:subscription_succeeded");
        String ciphertext = "{\"nonce\":\"bm9uY2Vub25jZW5vbmNlbm9uY2Vub25j\",\"ciphertext\":\"c2VjcmV0\"}";
        trigger(app, "private-encrypted-doc", "update", ciphertext, null);
        assertThat(socket.next().get("data").asString()).isEqualTo(ciphertext);
        socket.close();
    }

    @Test
    void invalidChannelNamesAreRejectedAndTheSocketStaysOpen() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        for (String name : new String[] {"", "has space", "semi;colon;is;fine-but-#hash-is-not", "x".repeat(201), "#reserved"}) {
            socket.sendJson("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":" + RawSocket.JSON.writeValueAsString(name) + "}}");
            JsonNode error = socket.nextEvent("pusher:subscription_error");
            assertThat(error.get("data").get("type").asString()).as(name).isEqualTo("InvalidChannel");
        }
        assertThat(socket.subscribed("x".repeat(200)).get("channel").asString()).hasSize(200);
        assertThat(socket.subscribed("Az09_-=@,.;").get("channel").asString()).isEqualTo("Az09_-=@,.;");
        socket.close();
    }

    @Test
    void resubscribingIsIdempotentAndUnsubscribingStopsEvents() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribed("news");
        socket.subscribed("news");
        socket.subscribed("still-subscribed");
        socket.sendJson("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"news\"}}");
        socket.sendJson("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"never-subscribed\"}}");
        socket.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        assertThat(socket.next().get("event").asString()).isEqualTo("pusher:pong");
        trigger(app, "news", "late", "{}", null);
        trigger(app, "still-subscribed", "sentinel", "{}", null);
        socket.expectSentinel("sentinel");
        socket.close();
    }

    @Test
    void cacheChannelSendsCacheMissThenReplaysTheLastEventToNewSubscribers() {
        AppConfig app = TestApps.create(apps);
        RawSocket first = RawSocket.connect(port, TestApps.key(app));
        first.subscribed("cache-prices");
        JsonNode miss = first.next();
        assertThat(miss.get("event").asString()).isEqualTo("pusher:cache_miss");
        assertThat(miss.get("channel").asString()).isEqualTo("cache-prices");

        trigger(app, "cache-prices", "price", "{\"p\":1}", null);
        trigger(app, "cache-prices", "price", "{\"p\":2}", null);
        assertThat(first.next().get("data").asString()).isEqualTo("{\"p\":1}");
        assertThat(first.next().get("data").asString()).isEqualTo("{\"p\":2}");

        RawSocket later = RawSocket.connect(port, TestApps.key(app));
        later.subscribed("cache-prices");
        JsonNode replayed = later.next();
        assertThat(replayed.get("event").asString()).isEqualTo("price");
        assertThat(replayed.get("data").asString()).isEqualTo("{\"p\":2}");
        first.close();
        later.close();
    }

    @Test
    void privateAndEncryptedCacheChannelsAlsoReplay() {
        AppConfig app = TestApps.create(apps);
        for (String channel : new String[] {"private-cache-x", "private-encrypted-cache-x"}) {
            trigger(app, channel, "snapshot", "{\"v\":3}", null);
            RawSocket socket = RawSocket.connect(port, TestApps.key(app));
            socket.subscribe(channel, Auth.channel(app, socket.socketId(), channel));
            assertThat(socket.next().get("event").asString()).isEqualTo("pusher_internal:subscription_succeeded");
            assertThat(socket.next().get("data").asString()).as(channel).isEqualTo("{\"v\":3}");
            socket.close();
        }
    }

    @Test
    void aFloodOfSubscribesGetsErrorsPastTheLimitAndHarmsNoOtherSocket() {
        AppConfig app = TestApps.create(apps);
        RawSocket flooder = RawSocket.connect(port, TestApps.key(app));
        RawSocket bystander = RawSocket.connect(port, TestApps.key(app));
        bystander.subscribed("calm");
        for (int i = 0; i < 150; i++) {
            flooder.subscribe("flood-" + i);
        }
        int succeeded = 0;
        int refused = 0;
        for (int i = 0; i < 150 + 50; i++) {
            String event = flooder.next().get("event").asString();
            if (event.equals("pusher_internal:subscription_succeeded")) {
                succeeded++;
            }
            else if (event.equals("pusher:subscription_error")) {
                refused++;
            }
        }
        assertThat(succeeded).isEqualTo(100);
        assertThat(refused).isEqualTo(50);
        trigger(app, "calm", "still-fine", "{}", null);
        assertThat(bystander.next().get("event").asString()).isEqualTo("still-fine");
        flooder.close();
        bystander.close();
    }

    private void trigger(AppConfig app, String channel, String event, String data, String exclude) {
        events.trigger(app.id(), List.of(ChannelName.parse(channel).orElseThrow()), event, data, exclude).block(Duration.ofSeconds(5));
    }
}
