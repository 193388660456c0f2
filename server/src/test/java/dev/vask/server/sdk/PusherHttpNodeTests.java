package dev.vask.server.sdk;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.connection.ConnectionState;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The official Node.js server SDK (npm {@code pusher}, installed from the committed lockfile) against the whole
 * server: a backend in another language signs, triggers, queries and terminates exactly as against Pusher,
 * with nothing but host and port changed. pusher-java-client sockets prove what was delivered.
 */
class PusherHttpNodeTests {

    private static final String APP_ID = "5150";
    private static final String APP_KEY = "node-app-key";
    private static final String APP_SECRET = "node-app-secret-0123456789abcdef";
    private static final String ENCRYPTION_MASTER_KEY = "c2VjcmV0LWVuY3J5cHRpb24ta2V5LW9mLTMyLWJ5dGU=";
    private static final Gson JSON = new Gson();

    private static RunningVask vask;

    @BeforeAll
    static void installTheSdkAndStartVask() throws Exception {
        PusherHttpNode.install();
        vask = RunningVask.start(APP_ID, APP_KEY, APP_SECRET);
    }

    @AfterAll
    static void stopVask() {
        if (vask != null) {
            vask.close();
        }
    }

    @Test
    void triggerOnSeveralChannelsReachesEverySubscriberButTheExcludedSocket() throws Exception {
        try (Subscriber reader = connect(); Subscriber writer = connect()) {
            reader.subscribe("news", "headline", "sentinel").subscribe("sports", "headline");
            writer.subscribe("news", "headline", "sentinel");

            JsonObject answer = sdk("trigger", List.of("news", "sports"), "headline", Map.of("title", "Vask ships"),
                    Map.of("socket_id", writer.pusher().getConnection().getSocketId()));

            assertThat(answer.get("status").getAsInt()).isEqualTo(200);
            assertThat(List.of(reader.next(), reader.next())).extracting(PusherEvent::getChannelName)
                    .containsExactlyInAnyOrder("news", "sports");
            // published after the answer to the first, so it reaches each socket after anything of the first
            assertThat(sdk("trigger", "news", "sentinel", Map.of()).get("status").getAsInt()).isEqualTo(200);
            reader.expectSentinel("sentinel"); // each channel once, nothing more
            writer.expectSentinel("sentinel"); // the excluded socket got nothing
        }
    }

    @Test
    void triggerAndBatchAnswerTheCountsAskedForWithInfo() throws Exception {
        try (Subscriber alice = connect(presenceAs("alice")); Subscriber bob = connect(presenceAs("bob"))) {
            alice.subscribePresence("presence-lobby", "hello");
            bob.subscribePresence("presence-lobby");
            alice.subscribe("ticker", "tick");

            JsonObject single = sdk("trigger", "presence-lobby", "hello", "{}", Map.of("info", "user_count,subscription_count"));
            assertThat(body(single)).isEqualTo(JsonParser.parseString(
                    "{\"channels\":{\"presence-lobby\":{\"user_count\":2,\"subscription_count\":2}}}"));

            JsonObject batch = sdk("triggerBatch", List.of(
                    Map.of("channel", "ticker", "name", "tick", "data", "1", "info", "subscription_count"),
                    Map.of("channel", "ticker", "name", "tick", "data", "2")));
            assertThat(body(batch)).isEqualTo(JsonParser.parseString("{\"batch\":[{\"subscription_count\":1},{}]}"));
            assertThat(List.of(alice.next(), alice.next(), alice.next())).extracting(PusherEvent::getData)
                    .containsExactly("{}", "1", "2");
        }
    }

    @Test
    void channelQueriesSeeWhatTheSocketsDo() throws Exception {
        try (Subscriber alice = connect(presenceAs("alice")); Subscriber carol = connect(presenceAs("carol"))) {
            alice.subscribePresence("presence-office");
            carol.subscribePresence("presence-office");

            JsonObject channels = sdk("get", Map.of("path", "/channels", "params", Map.of("filter_by_prefix", "presence-office",
                    "info", "user_count")));
            assertThat(body(channels)).isEqualTo(JsonParser.parseString("{\"channels\":{\"presence-office\":{\"user_count\":2}}}"));

            JsonObject channel = sdk("get", Map.of("path", "/channels/presence-office", "params", Map.of("info", "user_count")));
            assertThat(body(channel).getAsJsonObject()).satisfies(json -> {
                assertThat(json.get("occupied").getAsBoolean()).isTrue();
                assertThat(json.get("user_count").getAsInt()).isEqualTo(2);
            });

            JsonObject users = sdk("get", Map.of("path", "/channels/presence-office/users"));
            assertThat(body(users).getAsJsonObject().getAsJsonArray("users")).extracting(user -> user.getAsJsonObject().get("id").getAsString())
                    .containsExactlyInAnyOrder("alice", "carol");
        }
    }

    @Test
    void encryptedEventsFromTheSdkAreDecryptedByTheClientAndVaskNeverNeedsTheKey() throws Exception {
        PusherOptions options = options().setChannelAuthorizer((channel, socketId) -> value(sdk("authorizeChannel", socketId, channel)));
        try (Subscriber subscriber = new Subscriber(APP_KEY, options)) {
            subscriber.subscribeEncrypted("private-encrypted-vault", "secret");

            assertThat(sdk("trigger", "private-encrypted-vault", "secret", Map.of("code", "1234")).get("status").getAsInt()).isEqualTo(200);

            assertThat(JsonParser.parseString(subscriber.next().getData())).isEqualTo(JsonParser.parseString("{\"code\":\"1234\"}"));
        }
    }

    @Test
    void sendToUserReachesTheSignedInSocketAndTerminateClosesItForGood() throws Exception {
        PusherOptions options = options().setUserAuthenticator(socketId -> value(sdk("authenticateUser", socketId, Map.of("id", "dave"))));
        try (Subscriber dave = new Subscriber(APP_KEY, options, com.pusher.client.Pusher::signin); Subscriber bystander = connect()) {
            await().until(() -> "dave".equals(dave.pusher().user().userId()));
            java.util.concurrent.BlockingQueue<PusherEvent> userEvents = new java.util.concurrent.LinkedBlockingQueue<>();
            dave.pusher().user().bind("invoice-ready", userEvents::add);

            assertThat(sdk("sendToUser", "dave", "invoice-ready", Map.of("id", 7)).get("status").getAsInt()).isEqualTo(200);
            PusherEvent event = userEvents.poll(10, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            assertThat(JsonParser.parseString(event.getData())).isEqualTo(JsonParser.parseString("{\"id\":7}"));

            assertThat(sdk("terminateUserConnections", "dave").get("status").getAsInt()).isEqualTo(200);
            await().until(() -> dave.pusher().getConnection().getState() == ConnectionState.DISCONNECTED);
            assertThat(dave.errors()).anyMatch(error -> error.startsWith("4009"));
            Thread.sleep(1_500); // pusher-js and pusher-java-client reconnect after 1 s unless told not to
            assertThat(dave.pusher().getConnection().getState()).isEqualTo(ConnectionState.DISCONNECTED);
            assertThat(bystander.pusher().getConnection().getState()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void refusalsReachTheSdkAsTheStatusAndABodyThatNamesTheProblem() throws Exception {
        JsonObject wrongSecret = sdkAs(Map.of("secret", "not-the-secret"), "trigger", "news", "e", "{}");
        assertThat(wrongSecret.get("status").getAsInt()).isEqualTo(401);
        assertThat(wrongSecret.get("body").getAsString()).containsIgnoringCase("signature");

        JsonObject tooLarge = sdk("trigger", "news", "e", "x".repeat(10_241));
        assertThat(tooLarge.get("status").getAsInt()).isEqualTo(413);
        assertThat(tooLarge.get("body").getAsString()).containsIgnoringCase("10240");

        // the SDK checks names and channel lists itself; the size of a batch it leaves to the server
        List<Map<String, String>> elevenEvents = java.util.stream.IntStream.range(0, 11)
                .mapToObj(i -> Map.of("channel", "news", "name", "e", "data", "{}")).toList();
        JsonObject tooManyEvents = sdk("triggerBatch", elevenEvents);
        assertThat(tooManyEvents.get("status").getAsInt()).isEqualTo(400);
        assertThat(tooManyEvents.get("body").getAsString()).containsIgnoringCase("10");
    }

    private static JsonObject sdk(String method, Object... arguments) {
        return sdkAs(Map.of(), method, arguments);
    }

    /** Runs one SDK method in Node with the app's options, overridden by {@code overrides}. */
    private static JsonObject sdkAs(Map<String, String> overrides, String method, Object... arguments) {
        Map<String, Object> options = new java.util.HashMap<>(Map.of("appId", APP_ID, "key", APP_KEY, "secret", APP_SECRET,
                "host", "127.0.0.1", "port", Integer.toString(vask.port()), "encryptionMasterKeyBase64", ENCRYPTION_MASTER_KEY));
        options.putAll(overrides);
        return PusherHttpNode.call(options, method, arguments);
    }

    private static com.google.gson.JsonElement body(JsonObject answer) {
        assertThat(answer.get("status").getAsInt()).as(answer.toString()).isEqualTo(200);
        return JsonParser.parseString(answer.get("body").getAsString());
    }

    /** What an auth endpoint built on the SDK answers: the JSON of authorizeChannel or authenticateUser. */
    private static String value(JsonObject answer) {
        return JSON.toJson(answer.get("value"));
    }

    private static PusherOptions options() {
        return new PusherOptions().setHost("127.0.0.1").setWsPort(vask.port()).setUseTLS(false);
    }

    private static Subscriber connect() {
        return new Subscriber(APP_KEY, options());
    }

    private static Subscriber connect(PusherOptions options) {
        return new Subscriber(APP_KEY, options);
    }

    /** A socket whose presence is authorised by the Node SDK as this user. */
    private static PusherOptions presenceAs(String user) {
        return options().setChannelAuthorizer((channel, socketId) ->
                value(sdk("authorizeChannel", socketId, channel, Map.of("user_id", user, "user_info", Map.of("name", user)))));
    }
}
