package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.List;

import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
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

/** Presence channels: one member per user id, whatever the number of sockets. */
@RealtimeServer
class PresenceChannelTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeEvents events;

    @Test
    void subscriptionSucceededListsEveryMemberIncludingTheSubscriber() {
        AppConfig app = TestApps.create(apps);
        RawSocket ada = join(app, "presence-room", "{\"user_id\":\"42\",\"user_info\":{\"name\":\"Ada\"}}");
        RawSocket bob = connect(app);
        JsonNode succeeded = subscribe(bob, app, "presence-room", "{\"user_id\":7,\"user_info\":{\"name\":\"Bob\"}}");
        JsonNode presence = RawSocket.JSON.readTree(succeeded.get("data").asString()).get("presence");
        assertThat(presence.get("ids").toString()).isEqualTo("[\"42\",\"7\"]");
        assertThat(presence.get("hash").toString()).isEqualTo("{\"42\":{\"name\":\"Ada\"},\"7\":{\"name\":\"Bob\"}}");
        assertThat(presence.get("count").asInt()).isEqualTo(2);

        JsonNode added = ada.nextEvent("pusher_internal:member_added");
        assertThat(added.get("channel").asString()).isEqualTo("presence-room");
        assertThat(added.get("data").asString()).isEqualTo("{\"user_id\":\"7\",\"user_info\":{\"name\":\"Bob\"}}");
        // member_added was handed to every loop before ada got it; an event published now comes after it
        trigger(app, "presence-room", "sentinel");
        bob.expectSentinel("sentinel"); // never a member_added about itself
        ada.close();
        bob.close();
    }

    @Test
    void secondSocketOfTheSameUserDoesNotBroadcastMemberAdded() {
        AppConfig app = TestApps.create(apps);
        RawSocket watcher = join(app, "presence-doc", "{\"user_id\":\"1\"}");
        RawSocket firstTab = join(app, "presence-doc", "{\"user_id\":\"2\"}");
        assertThat(watcher.nextEvent("pusher_internal:member_added").get("data").asString()).contains("\"2\"");
        RawSocket secondTab = connect(app);
        JsonNode succeeded = subscribe(secondTab, app, "presence-doc", "{\"user_id\":\"2\"}");
        assertThat(RawSocket.JSON.readTree(succeeded.get("data").asString()).get("presence").get("count").asInt()).isEqualTo(2);
        // a member_added would be published by the second tab's loop as it joined; its client event comes later
        secondTab.sendJson("{\"event\":\"client-sentinel\",\"channel\":\"presence-doc\",\"data\":{}}");
        watcher.expectSentinel("client-sentinel");
        watcher.close();
        firstTab.close();
        secondTab.close();
    }

    @Test
    void memberRemovedOnlyWhenTheLastSocketOfTheUserLeaves() {
        AppConfig app = TestApps.create(apps);
        RawSocket watcher = join(app, "presence-team", "{\"user_id\":\"w\"}");
        RawSocket tabOne = join(app, "presence-team", "{\"user_id\":\"u\"}");
        RawSocket tabTwo = join(app, "presence-team", "{\"user_id\":\"u\"}");
        watcher.nextEvent("pusher_internal:member_added");

        tabOne.sendJson("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"presence-team\"}}");
        // once tabOne answers a ping, its loop has left the channel (the single-node store answers at once) and
        // published any member_removed; an event published after that reaches the watcher after it
        tabOne.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        tabOne.nextEvent("pusher:pong");
        trigger(app, "presence-team", "sentinel");
        watcher.expectSentinel("sentinel");
        tabTwo.close(); // disconnecting counts as leaving
        JsonNode removed = watcher.nextEvent("pusher_internal:member_removed");
        assertThat(removed.get("data").asString()).isEqualTo("{\"user_id\":\"u\"}");
        watcher.close();
        tabOne.close();
    }

    @Test
    void channelAtItsMemberLimitRefusesNewUsersButAcceptsMoreSocketsOfPresentOnes() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(null, 10240, 10, 2, null)));
        RawSocket one = join(app, "presence-small", "{\"user_id\":\"1\"}");
        RawSocket two = join(app, "presence-small", "{\"user_id\":\"2\"}");
        RawSocket three = connect(app);
        three.subscribePresence("presence-small", Auth.presence(app, three.socketId(), "presence-small", "{\"user_id\":\"3\"}"), "{\"user_id\":\"3\"}");
        JsonNode error = three.nextEvent("pusher:error");
        assertThat(error.get("data").get("message").asString()).isEqualTo("Presence channel is full (at most 2 members)");
        JsonNode channelError = three.nextEvent("pusher:subscription_error");
        assertThat(channelError.get("data").get("type").asString()).isEqualTo("LimitReached");
        RawSocket twoAgain = join(app, "presence-small", "{\"user_id\":\"2\"}");
        one.close();
        two.close();
        three.close();
        twoAgain.close();
    }

    @Test
    void userInfoAndUserIdSizesAreLimited() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = connect(app);
        String big = "{\"user_id\":\"1\",\"user_info\":{\"bio\":\"" + "x".repeat(1100) + "\"}}";
        socket.subscribePresence("presence-big", Auth.presence(app, socket.socketId(), "presence-big", big), big);
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("error").asString())
                .isEqualTo("user_info is larger than 1024 bytes");
        String longId = "{\"user_id\":\"" + "9".repeat(129) + "\"}";
        socket.subscribePresence("presence-big", Auth.presence(app, socket.socketId(), "presence-big", longId), longId);
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("error").asString())
                .isEqualTo("user_id is longer than 128 characters");
        socket.close();
    }

    @Test
    void channelDataMustHaveAUserIdAndIsCoveredByTheSignature() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = connect(app);
        socket.subscribePresence("presence-x", Auth.presence(app, socket.socketId(), "presence-x", "{\"name\":\"no id\"}"), "{\"name\":\"no id\"}");
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("error").asString())
                .isEqualTo("channel_data needs a user_id (a string or an integer)");
        // a client cannot swap in another user id: the signature covers channel_data
        socket.subscribePresence("presence-x", Auth.presence(app, socket.socketId(), "presence-x", "{\"user_id\":\"me\"}"), "{\"user_id\":\"admin\"}");
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("type").asString()).isEqualTo("AuthError");
        socket.sendJson("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-x\",\"auth\":\"" + Auth.channel(app, socket.socketId(), "presence-x") + "\"}}");
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("error").asString())
                .isEqualTo("Presence channels need channel_data from your auth endpoint, or a signed-in user");
        socket.close();
    }

    @Test
    void signedChannelDataNamingAUserIdTwiceIsRefused() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = connect(app);
        String twice = "{\"user_id\":\"me\",\"user_id\":\"admin\"}";
        socket.subscribePresence("presence-twice", Auth.presence(app, socket.socketId(), "presence-twice", twice), twice);
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("error").asString()).isEqualTo("channel_data is not valid JSON");
        socket.close();
    }

    @Test
    void signedInUserMayJoinPresenceWithoutChannelData() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = connect(app);
        String userData = "{\"id\":\"55\",\"user_info\":{\"name\":\"Signed\"}}";
        socket.sendJson("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + Auth.user(app, socket.socketId(), userData)
                + "\",\"user_data\":" + RawSocket.JSON.writeValueAsString(userData) + "}}");
        socket.nextEvent("pusher:signin_success");
        socket.subscribe("presence-lobby", Auth.channel(app, socket.socketId(), "presence-lobby"));
        JsonNode succeeded = socket.nextEvent("pusher_internal:subscription_succeeded");
        assertThat(succeeded.get("data").asString()).contains("\"hash\":{\"55\":{\"name\":\"Signed\"}}");
        socket.close();
    }

    @Test
    void aSignedInUserJoiningWithoutChannelDataIsHeldToTheSameUserInfoLimit() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = connect(app);
        String userData = "{\"id\":\"big\",\"user_info\":{\"x\":\"" + "y".repeat(2000) + "\"}}";
        socket.sendJson("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + Auth.user(app, socket.socketId(), userData)
                + "\",\"user_data\":" + RawSocket.JSON.writeValueAsString(userData) + "}}");
        socket.nextEvent("pusher:signin_success");
        socket.subscribe("presence-big", Auth.channel(app, socket.socketId(), "presence-big"));
        JsonNode error = socket.nextEvent("pusher:subscription_error");
        assertThat(error.get("data").get("error").asString()).isEqualTo("user_info is larger than 1024 bytes");
        socket.close();
    }

    private void trigger(AppConfig app, String channel, String event) {
        events.trigger(app.id(), List.of(ChannelName.parse(channel).orElseThrow()), event, "{}", null).block(Duration.ofSeconds(5));
    }

    private RawSocket connect(AppConfig app) {
        return RawSocket.connect(port, TestApps.key(app));
    }

    private RawSocket join(AppConfig app, String channel, String channelData) {
        RawSocket socket = connect(app);
        subscribe(socket, app, channel, channelData);
        return socket;
    }

    private JsonNode subscribe(RawSocket socket, AppConfig app, String channel, String channelData) {
        socket.subscribePresence(channel, Auth.presence(app, socket.socketId(), channel, channelData), channelData);
        return socket.nextEvent("pusher_internal:subscription_succeeded");
    }
}
