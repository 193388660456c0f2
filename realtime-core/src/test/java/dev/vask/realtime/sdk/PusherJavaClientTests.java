package dev.vask.realtime.sdk;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PresenceChannel;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PrivateChannel;
import com.pusher.client.channel.PrivateChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;
import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.testing.Auth;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The official Java client ({@code com.pusher:pusher-java-client}) against Vask with no options beyond
 * host, port and TLS off: connect (it speaks protocol 5), every channel type, presence, client events,
 * sign-in and server-to-user events.
 */
@RealtimeServer
class PusherJavaClientTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeEvents events;

    private final List<Pusher> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void disconnect() {
        clients.forEach(Pusher::disconnect);
    }

    @Test
    void connectsAndReceivesEventsOnAPublicChannel() throws Exception {
        AppConfig app = TestApps.create(apps);
        Pusher pusher = connected(app);
        BlockingQueue<PusherEvent> received = new LinkedBlockingQueue<>();
        BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        pusher.subscribe("orders", new com.pusher.client.channel.ChannelEventListener() {
            @Override public void onSubscriptionSucceeded(String channel) { subscribed.add(channel); }
            @Override public void onEvent(PusherEvent event) { received.add(event); }
        }, "order.updated");
        assertThat(subscribed.poll(10, TimeUnit.SECONDS)).isEqualTo("orders");
        trigger(app, "orders", "order.updated", "{\"status\":\"paid\"}");
        PusherEvent event = received.poll(10, TimeUnit.SECONDS);
        assertThat(event).isNotNull();
        assertThat(event.getData()).isEqualTo("{\"status\":\"paid\"}");
        assertThat(event.getChannelName()).isEqualTo("orders");
    }

    @Test
    void privateChannelWithAuthorizerReceivesEventsAndClientEventsReachOthers() throws Exception {
        AppConfig app = TestApps.create(apps);
        Pusher alice = connected(app);
        Pusher bob = connected(app);
        BlockingQueue<PusherEvent> bobReceived = new LinkedBlockingQueue<>();
        BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        PrivateChannel aliceChannel = alice.subscribePrivate("private-room", privateListener(subscribed, new LinkedBlockingQueue<>()));
        bob.subscribePrivate("private-room", privateListener(subscribed, bobReceived), "client-typing", "server-event");
        assertThat(subscribed.poll(10, TimeUnit.SECONDS)).isEqualTo("private-room");
        assertThat(subscribed.poll(10, TimeUnit.SECONDS)).isEqualTo("private-room");

        trigger(app, "private-room", "server-event", "{}");
        assertThat(bobReceived.poll(10, TimeUnit.SECONDS).getEventName()).isEqualTo("server-event");
        aliceChannel.trigger("client-typing", "{\"typing\":true}");
        PusherEvent typing = bobReceived.poll(10, TimeUnit.SECONDS);
        assertThat(typing.getEventName()).isEqualTo("client-typing");
        assertThat(typing.getData()).isEqualTo("{\"typing\":true}");
    }

    @Test
    void presenceChannelReportsMembersJoiningAndLeaving() throws Exception {
        AppConfig app = TestApps.create(apps);
        BlockingQueue<String> aliceLog = new LinkedBlockingQueue<>();
        Pusher alice = connected(app, "{\"user_id\":\"alice\",\"user_info\":{\"name\":\"Alice\"}}");
        PresenceChannel channel = alice.subscribePresence("presence-team", presenceListener(aliceLog));
        assertThat(aliceLog.poll(10, TimeUnit.SECONDS)).isEqualTo("members:alice");

        Pusher bob = connected(app, "{\"user_id\":\"bob\",\"user_info\":{\"name\":\"Bob\"}}");
        BlockingQueue<String> bobLog = new LinkedBlockingQueue<>();
        bob.subscribePresence("presence-team", presenceListener(bobLog));
        assertThat(bobLog.poll(10, TimeUnit.SECONDS)).isEqualTo("members:alice,bob");
        assertThat(aliceLog.poll(10, TimeUnit.SECONDS)).isEqualTo("added:bob");
        assertThat(channel.getUsers()).extracting(User::getId).containsExactlyInAnyOrder("alice", "bob");
        await().atMost(WAIT).until(() -> channel.getMe() != null && "alice".equals(channel.getMe().getId()));

        bob.disconnect();
        assertThat(aliceLog.poll(10, TimeUnit.SECONDS)).isEqualTo("removed:bob");
    }

    @Test
    void encryptedChannelSubscribes() throws Exception {
        AppConfig app = TestApps.create(apps);
        Pusher pusher = connected(app);
        BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
        pusher.subscribePrivateEncrypted("private-encrypted-vault", new com.pusher.client.channel.PrivateEncryptedChannelEventListener() {
            @Override public void onSubscriptionSucceeded(String channel) { subscribed.add(channel); }
            @Override public void onAuthenticationFailure(String message, Exception e) { subscribed.add("failed: " + message); }
            @Override public void onEvent(PusherEvent event) { }
            @Override public void onDecryptionFailure(String event, String reason) { }
        });
        assertThat(subscribed.poll(10, TimeUnit.SECONDS)).isEqualTo("private-encrypted-vault");
    }

    @Test
    void signsInAndReceivesServerToUserEvents() throws Exception {
        AppConfig app = TestApps.create(apps);
        PusherOptions options = options().setUserAuthenticator(socketId -> {
            String userData = "{\"id\":\"user-7\",\"user_info\":{\"name\":\"Seven\"}}";
            return "{\"auth\":\"" + Auth.user(app, socketId, userData) + "\",\"user_data\":" + gsonString(userData) + "}";
        });
        Pusher pusher = new Pusher(TestApps.key(app), options);
        clients.add(pusher);
        BlockingQueue<PusherEvent> received = new LinkedBlockingQueue<>();
        pusher.signin(); // before connecting, as apps do: the client signs in once on connect
        pusher.connect();
        pusher.user().bind("notification.created", received::add);
        await().atMost(WAIT).until(() -> "user-7".equals(pusher.user().userId()));
        await().atMost(WAIT).untilAsserted(() -> {
            events.sendToUser(app.id(), "user-7", "notification.created", "{\"body\":\"hello\"}", null).block(Duration.ofSeconds(5));
            PusherEvent event = received.poll(500, TimeUnit.MILLISECONDS);
            assertThat(event).isNotNull();
            assertThat(event.getData()).isEqualTo("{\"body\":\"hello\"}");
        });
    }

    @Test
    void unknownKeyIsRefusedAndTheClientDoesNotReconnect() throws Exception {
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
        Pusher pusher = new Pusher("no-such-key", options());
        clients.add(pusher);
        pusher.connect(new ConnectionEventListener() {
            @Override public void onConnectionStateChange(ConnectionStateChange change) { states.add(change.getCurrentState()); }
            @Override public void onError(String message, String code, Exception e) { errors.add(code + " " + message); }
        }, ConnectionState.ALL);
        assertThat(errors.poll(10, TimeUnit.SECONDS)).isEqualTo("4001 App key no-such-key does not exist");
        await().atMost(WAIT).until(() -> pusher.getConnection().getState() == ConnectionState.DISCONNECTED);
    }

    private PrivateChannelEventListener privateListener(BlockingQueue<String> subscribed, BlockingQueue<PusherEvent> received) {
        return new PrivateChannelEventListener() {
            @Override public void onSubscriptionSucceeded(String channel) { subscribed.add(channel); }
            @Override public void onAuthenticationFailure(String message, Exception e) { subscribed.add("failed: " + message); }
            @Override public void onEvent(PusherEvent event) { received.add(event); }
        };
    }

    private PresenceChannelEventListener presenceListener(BlockingQueue<String> log) {
        return new PresenceChannelEventListener() {
            @Override public void onUsersInformationReceived(String channel, Set<User> users) {
                log.add("members:" + String.join(",", users.stream().map(User::getId).sorted().toList()));
            }
            @Override public void userSubscribed(String channel, User user) { log.add("added:" + user.getId()); }
            @Override public void userUnsubscribed(String channel, User user) { log.add("removed:" + user.getId()); }
            @Override public void onAuthenticationFailure(String message, Exception e) { log.add("failed: " + message); }
            @Override public void onSubscriptionSucceeded(String channel) { }
            @Override public void onEvent(PusherEvent event) { }
        };
    }

    private Pusher connected(AppConfig app) {
        return connected(app, "{\"user_id\":\"someone\"}");
    }

    /** A client whose authorizer signs like a customer's auth endpoint would (presence with this channel_data). */
    private Pusher connected(AppConfig app, String channelData) {
        PusherOptions options = options().setChannelAuthorizer((channel, socketId) -> channel.startsWith("presence-")
                ? "{\"auth\":\"" + Auth.presence(app, socketId, channel, channelData) + "\",\"channel_data\":" + gsonString(channelData) + "}"
                : channel.startsWith("private-encrypted-")
                        ? "{\"auth\":\"" + Auth.channel(app, socketId, channel) + "\",\"shared_secret\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}"
                        : "{\"auth\":\"" + Auth.channel(app, socketId, channel) + "\"}");
        Pusher pusher = new Pusher(TestApps.key(app), options);
        clients.add(pusher);
        pusher.connect();
        await().atMost(WAIT).until(() -> pusher.getConnection().getState() == ConnectionState.CONNECTED);
        return pusher;
    }

    private PusherOptions options() {
        return new PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false);
    }

    private static String gsonString(String text) {
        return new com.google.gson.JsonPrimitive(text).toString();
    }

    private void trigger(AppConfig app, String channel, String event, String data) {
        events.trigger(app.id(), List.of(ChannelName.parse(channel).orElseThrow()), event, data, null).block(Duration.ofSeconds(5));
    }
}
