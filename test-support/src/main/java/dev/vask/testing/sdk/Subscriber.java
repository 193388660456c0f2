package dev.vask.testing.sdk;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.pusher.client.Pusher;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.ChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionEventListener;
import com.pusher.client.connection.ConnectionState;
import com.pusher.client.connection.ConnectionStateChange;

import static org.assertj.core.api.Assertions.assertThat;

/** A pusher-java-client socket that records what it receives, for proving (non-)delivery. */
public final class Subscriber implements AutoCloseable {

    private final Pusher pusher;
    private final BlockingQueue<PusherEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

    public Subscriber(String key, PusherOptions options) {
        this(key, options, pusher -> { });
    }

    /** {@code beforeConnect} runs on the client before it connects (for example {@code Pusher::signin}). */
    public Subscriber(String key, PusherOptions options, java.util.function.Consumer<Pusher> beforeConnect) {
        this.pusher = new Pusher(key, options);
        beforeConnect.accept(pusher);
        pusher.connect(new ConnectionEventListener() {
            @Override public void onConnectionStateChange(ConnectionStateChange change) { states.add(change.getCurrentState()); }
            @Override public void onError(String message, String code, Exception e) { errors.add(code + " " + message); }
        }, ConnectionState.ALL);
        org.awaitility.Awaitility.await().until(() -> pusher.getConnection().getState() == ConnectionState.CONNECTED);
    }

    public static Subscriber connect(int port, String key) {
        return new Subscriber(key, new PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false));
    }

    /**
     * A socket signed in as {@code userId} (user data {@code {"id":...}}), its sign-in signed with the app's secret as an
     * app's auth endpoint would; returns once the server has confirmed the sign-in.
     */
    public static Subscriber signedIn(int port, String key, String secret, String userId) {
        String userData = "{\"id\":\"" + userId + "\"}";
        PusherOptions options = new PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false)
                .setUserAuthenticator(socketId -> "{\"auth\":\"" + key + ":" + hmacSha256Hex(secret, socketId + "::user::" + userData)
                        + "\",\"user_data\":" + new com.google.gson.JsonPrimitive(userData) + "}");
        Subscriber subscriber = new Subscriber(key, options, Pusher::signin);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> userId.equals(subscriber.pusher().user().userId()));
        return subscriber;
    }

    private static String hmacSha256Hex(String secret, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Subscriber connect(int port, String key, com.pusher.client.ChannelAuthorizer authorizer) {
        return new Subscriber(key, new PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false).setChannelAuthorizer(authorizer));
    }

    public Subscriber subscribe(String channel, String... events) {
        pusher.subscribe(channel, listener(), events);
        awaitSubscribed(channel);
        return this;
    }

    public Subscriber subscribePrivate(String channel, String... events) {
        pusher.subscribePrivate(channel, new com.pusher.client.channel.PrivateChannelEventListener() {
            @Override public void onAuthenticationFailure(String message, Exception e) { subscribed.add("failed " + message); }
            @Override public void onSubscriptionSucceeded(String name) { subscribed.add(name); }
            @Override public void onEvent(PusherEvent event) { Subscriber.this.events.add(event); }
        }, events);
        awaitSubscribed(channel);
        return this;
    }

    public Subscriber subscribeEncrypted(String channel, String... events) {
        pusher.subscribePrivateEncrypted(channel, new com.pusher.client.channel.PrivateEncryptedChannelEventListener() {
            @Override public void onAuthenticationFailure(String message, Exception e) { subscribed.add("failed " + message); }
            @Override public void onSubscriptionSucceeded(String name) { subscribed.add(name); }
            @Override public void onEvent(PusherEvent event) { Subscriber.this.events.add(event); }
            @Override public void onDecryptionFailure(String event, String reason) { Subscriber.this.errors.add("decryption " + reason); }
        }, events);
        awaitSubscribed(channel);
        return this;
    }

    /** Joins a presence channel; the authorizer given at connect decides who this socket is. */
    public Subscriber subscribePresence(String channel, String... events) {
        pusher.subscribePresence(channel, new com.pusher.client.channel.PresenceChannelEventListener() {
            @Override public void onUsersInformationReceived(String name, java.util.Set<com.pusher.client.channel.User> users) { }
            @Override public void userSubscribed(String name, com.pusher.client.channel.User user) { }
            @Override public void userUnsubscribed(String name, com.pusher.client.channel.User user) { }
            @Override public void onAuthenticationFailure(String message, Exception e) { subscribed.add("failed " + message); }
            @Override public void onSubscriptionSucceeded(String name) { subscribed.add(name); }
            @Override public void onEvent(PusherEvent event) { Subscriber.this.events.add(event); }
        }, events);
        awaitSubscribed(channel);
        return this;
    }

    /**
     * Every state the connection has been in since it was created, in order (CONNECTING, CONNECTED, ...): a
     * socket the server killed shows DISCONNECTED even when the client has silently reconnected since.
     */
    public List<ConnectionState> states() {
        return List.copyOf(states);
    }

    /** Errors the connection reported ({@code code message}) and decryption failures, in order. */
    public BlockingQueue<String> errors() {
        return errors;
    }

    public Pusher pusher() {
        return pusher;
    }

    public PusherEvent next() throws InterruptedException {
        PusherEvent event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    /**
     * Proves that nothing arrived before a sentinel: the test sends the sentinel (an event of this name, which the
     * subscription must bind) after whatever must not arrive, along a path that keeps their order; the very next
     * event must be the sentinel. Waiting a while and seeing nothing would pass on a server that is merely slow.
     */
    public PusherEvent expectSentinel(String eventName) throws InterruptedException {
        PusherEvent event = next();
        assertThat(event.getEventName()).as("the sentinel %s, with nothing before it; got %s", eventName, event).isEqualTo(eventName);
        return event;
    }

    private ChannelEventListener listener() {
        return new ChannelEventListener() {
            @Override public void onSubscriptionSucceeded(String name) { subscribed.add(name); }
            @Override public void onEvent(PusherEvent event) { events.add(event); }
        };
    }

    private void awaitSubscribed(String channel) {
        try {
            assertThat(subscribed.poll(10, TimeUnit.SECONDS)).isEqualTo(channel);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        pusher.disconnect();
    }
}
