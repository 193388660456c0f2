package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.List;

import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.api.UserConnections;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppFeatures;
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

/** pusher:signin, server-to-user events, watchlists and terminating a user's connections. */
@RealtimeServer
class UserSigninTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeEvents events;

    @Autowired
    UserConnections users;

    @Test
    void signinSucceedsAndEchoesTheExactUserData() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        String userData = "{\"id\":\"12345\",  \"user_info\":{\"name\":\"Ada\"}}";
        signin(socket, app, userData);
        JsonNode success = socket.next();
        assertThat(success.get("event").asString()).isEqualTo("pusher:signin_success");
        assertThat(success.get("data").get("user_data").asString()).isEqualTo(userData);
        socket.close();
    }

    @Test
    void signinWithABadSignatureIsRefusedWith4009AndTheSocketClosed() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.sendJson("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + Auth.user(app, "1.1", "{\"id\":\"1\"}")
                + "\",\"user_data\":\"{\\\"id\\\":\\\"1\\\"}\"}}");
        JsonNode error = socket.next();
        assertThat(error.get("data").get("code").asInt()).isEqualTo(4009);
        assertThat(socket.awaitClose()).isEqualTo(4009);
    }

    @Test
    void userDataWithoutAStringIdIsRefused() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        signin(socket, app, "{\"id\":42}");
        assertThat(socket.next().get("data").get("message").asString()).isEqualTo("user_data needs an id that is a non-empty string");
        assertThat(socket.awaitClose()).isEqualTo(4009);
    }

    @Test
    void signedUserDataNamingAnIdTwiceIsRefused() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        signin(socket, app, "{\"id\":\"ada\",\"id\":\"admin\"}");
        assertThat(socket.next().get("data").get("message").asString()).isEqualTo("user_data is not valid JSON");
        assertThat(socket.awaitClose()).isEqualTo(4009);
    }

    @Test
    void userIdsThatNoChannelCouldNameAreRefused() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        signin(socket, app, "{\"id\":\"caf\u00e9\"}");
        assertThat(socket.next().get("data").get("message").asString())
                .isEqualTo("user_data.id may contain only A-Z, a-z, 0-9 and _ - = @ , . ;");
        assertThat(socket.awaitClose()).isEqualTo(4009);
    }

    @Test
    void signingInAsAnotherUserOnTheSameSocketIsRefusedButTheSameUserAgainSucceeds() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        signin(socket, app, "{\"id\":\"a\"}");
        socket.nextEvent("pusher:signin_success");
        signin(socket, app, "{\"id\":\"b\"}");
        JsonNode error = socket.next();
        assertThat(error.get("data").get("code").asInt()).isEqualTo(4305);
        signin(socket, app, "{\"id\":\"a\"}");
        assertThat(socket.next().get("event").asString()).isEqualTo("pusher:signin_success");
        socket.close();
    }

    @Test
    void serverToUserEventsReachEverySocketSignedInAsTheUserAndNoOtherSocket() {
        AppConfig app = TestApps.create(apps);
        RawSocket phone = signedIn(app, "{\"id\":\"u1\"}");
        RawSocket laptop = signedIn(app, "{\"id\":\"u1\"}");
        RawSocket someoneElse = signedIn(app, "{\"id\":\"u2\"}");
        RawSocket anonymous = RawSocket.connect(port, TestApps.key(app));
        anonymous.subscribed("lobby");
        events.sendToUser(app.id(), "u1", "notification.created", "{\"body\":\"ready\"}", null).block(Duration.ofSeconds(5));
        for (RawSocket socket : new RawSocket[] {phone, laptop}) {
            JsonNode event = socket.next();
            assertThat(event.get("channel").asString()).isEqualTo("#server-to-user-u1");
            assertThat(event.get("event").asString()).isEqualTo("notification.created");
            assertThat(event.get("data").asString()).isEqualTo("{\"body\":\"ready\"}");
        }
        // sentinels published after the event, to each socket by a path that keeps the order on its loop
        events.sendToUser(app.id(), "u2", "sentinel", "{}", null).block(Duration.ofSeconds(5));
        events.trigger(app.id(), List.of(ChannelName.parse("lobby").orElseThrow()), "sentinel", "{}", null).block(Duration.ofSeconds(5));
        someoneElse.expectSentinel("sentinel");
        anonymous.expectSentinel("sentinel");
        phone.close();
        laptop.close();
        someoneElse.close();
        anonymous.close();
    }

    @Test
    void onlyTheSignedInUserMaySubscribeToItsServerToUserChannel() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe("#server-to-user-victim");
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("type").asString()).isEqualTo("AuthError");
        signin(socket, app, "{\"id\":\"me\"}");
        socket.nextEvent("pusher:signin_success");
        assertThat(socket.subscribed("#server-to-user-me").get("channel").asString()).isEqualTo("#server-to-user-me");
        socket.subscribe("#server-to-user-victim");
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("type").asString()).isEqualTo("AuthError");
        socket.close();
    }

    @Test
    void watchlistGetsCurrentStatusAtSigninThenOnlineAndOfflineChanges() {
        AppConfig app = TestApps.create(apps);
        RawSocket alreadyOnline = signedIn(app, "{\"id\":\"7\"}");
        RawSocket watcher = RawSocket.connect(port, TestApps.key(app));
        signin(watcher, app, "{\"id\":\"me\",\"watchlist\":[\"7\",\"9\"]}");
        watcher.nextEvent("pusher:signin_success");
        JsonNode initial = watcher.nextEvent("pusher_internal:watchlist_events");
        assertThat(initial.get("data").asString())
                .isEqualTo("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"7\"]},{\"name\":\"offline\",\"user_ids\":[\"9\"]}]}");

        RawSocket nine = signedIn(app, "{\"id\":\"9\"}");
        assertThat(watcher.nextEvent("pusher_internal:watchlist_events").get("data").asString())
                .isEqualTo("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"9\"]}]}");
        alreadyOnline.close();
        assertThat(watcher.nextEvent("pusher_internal:watchlist_events").get("data").asString())
                .isEqualTo("{\"events\":[{\"name\":\"offline\",\"user_ids\":[\"7\"]}]}");
        watcher.close();
        nine.close();
    }

    @Test
    void aUserWatchingThemselvesIsToldOnceThatTheyAreOnline() {
        AppConfig app = TestApps.create(apps);
        RawSocket watcher = RawSocket.connect(port, TestApps.key(app));
        signin(watcher, app, "{\"id\":\"me\",\"watchlist\":[\"me\",\"9\"]}");
        watcher.nextEvent("pusher:signin_success");
        assertThat(watcher.nextEvent("pusher_internal:watchlist_events").get("data").asString())
                .isEqualTo("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"me\"]},{\"name\":\"offline\",\"user_ids\":[\"9\"]}]}");

        RawSocket nine = signedIn(app, "{\"id\":\"9\"}");
        // the next watchlist frame is about 9: no second "me is online" came in between
        assertThat(watcher.nextEvent("pusher_internal:watchlist_events").get("data").asString())
                .isEqualTo("{\"events\":[{\"name\":\"online\",\"user_ids\":[\"9\"]}]}");
        watcher.close();
        nine.close();
    }

    @Test
    void watchlistOverTheLimitKeepsTheFirstHundredAndSays4302() {
        AppConfig app = TestApps.create(apps);
        RawSocket watcher = RawSocket.connect(port, TestApps.key(app));
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 105; i++) {
            ids.append(i == 0 ? "" : ",").append("\"w").append(i).append('"');
        }
        signin(watcher, app, "{\"id\":\"me\",\"watchlist\":[" + ids + "]}");
        JsonNode error = watcher.nextEvent("pusher:error");
        assertThat(error.get("data").get("code").asInt()).isEqualTo(4302);
        watcher.nextEvent("pusher:signin_success");
        JsonNode status = RawSocket.JSON.readTree(watcher.nextEvent("pusher_internal:watchlist_events").get("data").asString());
        assertThat(status.get("events").get(0).get("user_ids").size()).isEqualTo(100);
        watcher.close();
    }

    @Test
    void noWatchlistEventsWhenTheAppDoesNotEnableThem() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withFeatures(a, new AppFeatures(true, false, false, false, false)));
        RawSocket watcher = RawSocket.connect(port, TestApps.key(app));
        signin(watcher, app, "{\"id\":\"me\",\"watchlist\":[\"7\"]}");
        watcher.nextEvent("pusher:signin_success");
        watcher.subscribed("lobby");
        RawSocket seven = signedIn(app, "{\"id\":\"7\"}");
        // seven's loop answers the ping after its sign-in, which would have handed "7 is online" to the
        // watcher's loop; the sentinel published after that comes after it
        seven.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        seven.nextEvent("pusher:pong");
        events.trigger(app.id(), List.of(ChannelName.parse("lobby").orElseThrow()), "sentinel", "{}", null).block(Duration.ofSeconds(5));
        watcher.expectSentinel("sentinel");
        watcher.close();
        seven.close();
    }

    @Test
    void terminatingAUserClosesItsSignedInSocketsWith4009AndLeavesOthersOpen() {
        AppConfig app = TestApps.create(apps);
        RawSocket first = signedIn(app, "{\"id\":\"banned\"}");
        RawSocket second = signedIn(app, "{\"id\":\"banned\"}");
        RawSocket other = signedIn(app, "{\"id\":\"fine\"}");
        users.terminate(app.id(), "banned").block(Duration.ofSeconds(5));
        assertThat(first.nextEvent("pusher:error").get("data").get("code").asInt()).isEqualTo(4009);
        assertThat(first.awaitClose()).isEqualTo(4009);
        assertThat(second.awaitClose()).isEqualTo(4009);
        assertThat(other.subscribed("still-here").get("event").asString()).isEqualTo("pusher_internal:subscription_succeeded");
        other.close();
    }

    private RawSocket signedIn(AppConfig app, String userData) {
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        signin(socket, app, userData);
        socket.nextEvent("pusher:signin_success");
        return socket;
    }

    private static void signin(RawSocket socket, AppConfig app, String userData) {
        socket.sendJson("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + Auth.user(app, socket.socketId(), userData)
                + "\",\"user_data\":" + RawSocket.JSON.writeValueAsString(userData) + "}}");
    }
}
