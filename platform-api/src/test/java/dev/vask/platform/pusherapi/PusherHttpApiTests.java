package dev.vask.platform.pusherapi;

import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pusher.client.channel.PusherEvent;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;
import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Pusher HTTP API driven by the official server SDK ({@code com.pusher:pusher-http-java}) and proven
 * by official client sockets ({@code com.pusher:pusher-java-client}) of a running Vask.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PusherHttpApiTests {

    static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    SecretCipher cipher;

    @Test
    void eventTriggeredWithTheJavaSdkReachesAJavaClientSubscriber() throws Exception {
        try (Subscriber subscriber = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("orders", "order.updated")) {
            Result result = sdk().trigger("orders", "order.updated", Map.of("status", "paid"));
            assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(result.getMessage()).isEqualTo("{}");
            PusherEvent event = subscriber.next();
            assertThat(event.getData()).isEqualTo("{\"status\":\"paid\"}");
            assertThat(event.getChannelName()).isEqualTo("orders");
        }
    }

    @Test
    void multiChannelTriggerReachesEveryChannelAndTheExcludedSocketGetsNothing() throws Exception {
        try (Subscriber a = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("feed-a", "news");
                Subscriber b = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("feed-b", "news");
                Subscriber sender = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("feed-a", "news", "sentinel")) {
            String socketId = sender.pusher().getConnection().getSocketId();
            Result result = sdk().trigger(List.of("feed-a", "feed-b"), "news", Map.of("n", 1), socketId);
            assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(a.next().getChannelName()).isEqualTo("feed-a");
            assertThat(b.next().getChannelName()).isEqualTo("feed-b");
            sentinel("feed-a");
            sender.expectSentinel("sentinel");
        }
    }

    @Test
    void aChannelListedTwiceGetsTheEventOnce() throws Exception {
        try (Subscriber subscriber = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("feed-twice", "news", "sentinel")) {
            Result result = sdk().trigger(List.of("feed-twice", "feed-twice"), "news", Map.of("n", 1));
            assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(subscriber.next().getChannelName()).isEqualTo("feed-twice");
            sentinel("feed-twice");
            subscriber.expectSentinel("sentinel");
        }
    }

    @Test
    void batchTriggerDeliversEveryEventInOrder() throws Exception {
        try (Subscriber subscriber = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("metrics", "metric.updated", "sentinel")) {
            Result result = sdk().trigger(List.of(new Event("metrics", "metric.updated", Map.of("value", 1)),
                    new Event("metrics", "metric.updated", Map.of("value", 2)), new Event("other", "metric.updated", Map.of("value", 3))));
            assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(subscriber.next().getData()).isEqualTo("{\"value\":1}");
            assertThat(subscriber.next().getData()).isEqualTo("{\"value\":2}");
            sentinel("metrics"); // the third event, for "other", must not have reached this channel
            subscriber.expectSentinel("sentinel");
        }
    }

    @Test
    void infoReturnsSubscriptionAndUserCountsForEventsAndBatches() throws Exception {
        try (Subscriber one = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("counted");
                Subscriber two = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("counted")) {
            Result single = sdk().post("/events", "{\"name\":\"e\",\"channels\":[\"counted\",\"empty\"],\"data\":\"{}\",\"info\":\"subscription_count\"}");
            assertThat(single.getMessage()).isEqualTo("{\"channels\":{\"counted\":{\"subscription_count\":2},\"empty\":{\"subscription_count\":0}}}");
            Result batch = sdk().post("/batch_events", "{\"batch\":[{\"name\":\"e\",\"channel\":\"counted\",\"data\":\"x\",\"info\":\"subscription_count\"},"
                    + "{\"name\":\"e\",\"channel\":\"counted\",\"data\":\"y\"}]}");
            assertThat(batch.getMessage()).isEqualTo("{\"batch\":[{\"subscription_count\":2},{}]}");
        }
    }

    @Test
    void dataThatIsNotAStringIsDeliveredAsTheExactJsonTextReceived() throws Exception {
        String exact = "{ \"price\": 1.50, \"huge\": 1e999, \"letter\": \"\\u0041\", \"list\": [1, 2.0] }";
        try (Subscriber subscriber = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("raw-data", "e")) {
            Result single = sdk().post("/events", "{\"name\":\"e\",\"channel\":\"raw-data\",\"data\":" + exact + "}");
            assertThat(single.getStatus()).as(single.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(subscriber.next().getData()).isEqualTo(exact);
            Result batch = sdk().post("/batch_events", "{\"batch\":[{\"name\":\"e\",\"channel\":\"raw-data\",\"data\":\"first\"},"
                    + "{\"data\" : 12.30e+1 ,\"name\":\"e\",\"channel\":\"raw-data\"}]}");
            assertThat(batch.getStatus()).as(batch.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(subscriber.next().getData()).isEqualTo("first");
            assertThat(subscriber.next().getData()).isEqualTo("12.30e+1");
        }
    }

    @Test
    void userCountOnAChannelThatIsNotPresenceIsA400OnEveryEndpointAndNothingIsPublished() throws Exception {
        try (Subscriber subscriber = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("not-presence", "e", "sentinel")) {
            Result single = sdk().post("/events", "{\"name\":\"e\",\"channel\":\"not-presence\",\"data\":\"x\",\"info\":\"user_count\"}");
            assertThat(single.getHttpStatus()).isEqualTo(400);
            assertThat(single.getMessage()).contains("user_count is only available for presence channels");
            Result mixed = sdk().post("/events", "{\"name\":\"e\",\"channels\":[\"presence-x\",\"not-presence\"],\"data\":\"x\",\"info\":\"user_count\"}");
            assertThat(mixed.getHttpStatus()).isEqualTo(400);
            assertThat(mixed.getMessage()).contains("user_count is only available for presence channels (not-presence is not one)");
            Result batch = sdk().post("/batch_events", "{\"batch\":[{\"name\":\"e\",\"channel\":\"not-presence\",\"data\":\"x\"},"
                    + "{\"name\":\"e\",\"channel\":\"not-presence\",\"data\":\"y\",\"info\":\"user_count\"}]}");
            assertThat(batch.getHttpStatus()).isEqualTo(400);
            assertThat(batch.getMessage()).contains("batch[1]: user_count is only available for presence channels");
            Result channel = sdk().get("/channels/not-presence", Map.of("info", "user_count"));
            assertThat(channel.getHttpStatus()).isEqualTo(400);
            assertThat(sdk().trigger("not-presence", "sentinel", Map.of()).getStatus()).isEqualTo(Result.Status.SUCCESS);
            assertThat(subscriber.next().getEventName()).as("nothing of the refused requests was published").isEqualTo("sentinel");
        }
    }

    @Test
    void eventsOfAnotherAppAreNeverDelivered() throws Exception {
        PusherApiTestApps.TestApp other = PusherApiTestApps.create(database, cipher, "");
        try (Subscriber mine = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("same-name", "e");
                Subscriber theirs = Subscriber.connect(port, other.key()).subscribe("same-name", "e", "sentinel")) {
            sdk().trigger("same-name", "e", Map.of());
            assertThat(mine.next().getEventName()).isEqualTo("e");
            Result sentinel = sdk(other).trigger("same-name", "sentinel", Map.of());
            assertThat(sentinel.getStatus()).as(sentinel.getMessage()).isEqualTo(Result.Status.SUCCESS);
            theirs.expectSentinel("sentinel");
        }
    }

    @Test
    void channelQueriesAnswerFromTheSameStateTheSocketsUse() throws Exception {
        try (Subscriber a = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("query-room");
                Subscriber b = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("query-room")) {
            Result list = sdk().get("/channels", Map.of("filter_by_prefix", "query-", "info", "subscription_count"));
            assertThat(list.getMessage()).isEqualTo("{\"channels\":{\"query-room\":{\"subscription_count\":2}}}");
            Result channel = sdk().get("/channels/query-room", Map.of("info", "subscription_count"));
            assertThat(channel.getMessage()).isEqualTo("{\"occupied\":true,\"subscription_count\":2}");
            Result empty = sdk().get("/channels/nobody-here");
            assertThat(empty.getMessage()).isEqualTo("{\"occupied\":false}");
        }
    }

    @Test
    void aChannelWithASemicolonInItsNameCanBeQueriedByPath() throws Exception {
        try (Subscriber a = Subscriber.connect(port, PlatformTestDatabase.APP_KEY).subscribe("semi;colon")) {
            Result channel = sdk().get("/channels/semi;colon", Map.of("info", "subscription_count"));
            assertThat(channel.getMessage()).isEqualTo("{\"occupied\":true,\"subscription_count\":1}");
        }
    }

    @Test
    void presenceChannelsReportUserCountsAndUsers() throws Exception {
        Pusher sdk = sdk();
        try (Subscriber ada = presenceMember(sdk, "ada"); Subscriber ada2 = presenceMember(sdk, "ada"); Subscriber bob = presenceMember(sdk, "bob")) {
            Result list = sdk.get("/channels", Map.of("filter_by_prefix", "presence-", "info", "user_count"));
            assertThat(list.getMessage()).isEqualTo("{\"channels\":{\"presence-team\":{\"user_count\":2}}}");
            Result channel = sdk.get("/channels/presence-team", Map.of("info", "user_count,subscription_count"));
            assertThat(channel.getMessage()).isEqualTo("{\"occupied\":true,\"user_count\":2,\"subscription_count\":3}");
            Result users = sdk.get("/channels/presence-team/users");
            assertThat(users.getMessage()).isEqualTo("{\"users\":[{\"id\":\"ada\"},{\"id\":\"bob\"}]}");
        }
    }

    @Test
    void cacheChannelQueryShowsTheCachedEvent() {
        sdk().trigger("cache-prices", "price", Map.of("p", 7));
        Result result = sdk().get("/channels/cache-prices", Map.of("info", "cache"));
        JsonObject body = JsonParser.parseString(result.getMessage()).getAsJsonObject();
        assertThat(body.get("occupied").getAsBoolean()).isFalse();
        assertThat(body.getAsJsonObject("cache").get("data").getAsString()).isEqualTo("{\"p\":7}");
        assertThat(body.getAsJsonObject("cache").get("event").getAsString()).isEqualTo("price");
        assertThat(body.getAsJsonObject("cache").get("ttl").getAsInt()).isBetween(1700, 1800);
    }

    @Test
    void encryptedPayloadIsRelayedUntouchedAndDecryptsInTheClient() throws Exception {
        String masterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        Pusher encrypting = new Pusher(PlatformTestDatabase.APP_ID, PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET, masterKey);
        encrypting.setHost("127.0.0.1:" + port);
        encrypting.setEncrypted(false);
        try (Subscriber subscriber = Subscriber.connect(port, PlatformTestDatabase.APP_KEY, (channel, socketId) -> encrypting.authenticate(socketId, channel))
                .subscribeEncrypted("private-encrypted-vault", "secret")) {
            Result result = encrypting.trigger("private-encrypted-vault", "secret", Map.of("pin", "1234"));
            assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(subscriber.next().getData()).isEqualTo("{\"pin\":\"1234\"}");
        }
    }

    @Test
    void serverToUserEventsArriveThroughBothTheSdkChannelAndTheUsersEndpoint() throws Exception {
        try (Subscriber user = signedIn("user-42")) {
            BlockingCollector collector = new BlockingCollector();
            user.pusher().user().bind("notice", collector::add);
            await().until(() -> "user-42".equals(user.pusher().user().userId()));
            Result viaChannel = sdk().post("/events", "{\"name\":\"notice\",\"channels\":[\"#server-to-user-user-42\"],\"data\":\"one\"}");
            assertThat(viaChannel.getStatus()).as(viaChannel.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(collector.next().getData()).isEqualTo("one");
            Result viaEndpoint = sdk().post("/users/user-42/events", "{\"name\":\"notice\",\"data\":\"two\"}");
            assertThat(viaEndpoint.getStatus()).as(viaEndpoint.getMessage()).isEqualTo(Result.Status.SUCCESS);
            assertThat(collector.next().getData()).isEqualTo("two");
        }
    }

    @Test
    void terminatingUserConnectionsClosesTheirSockets() throws Exception {
        try (Subscriber user = signedIn("to-ban"); Subscriber bystander = signedIn("stays")) {
            Result result = sdk().post("/users/to-ban/terminate_connections", "{}");
            assertThat(result.getMessage()).isEqualTo("{}");
            await().until(() -> user.pusher().getConnection().getState() == com.pusher.client.connection.ConnectionState.DISCONNECTED);
            assertThat(user.errors()).anyMatch(error -> error.startsWith("4009"));
            assertThat(bystander.pusher().getConnection().getState()).isEqualTo(com.pusher.client.connection.ConnectionState.CONNECTED);
        }
    }

    private Subscriber presenceMember(Pusher sdk, String userId) {
        Subscriber subscriber = Subscriber.connect(port, PlatformTestDatabase.APP_KEY,
                (channel, socketId) -> sdk.authenticate(socketId, channel, new com.pusher.rest.data.PresenceUser(userId)));
        subscriber.pusher().subscribePresence("presence-team");
        await().until(() -> subscriber.pusher().getPresenceChannel("presence-team").isSubscribed());
        return subscriber;
    }

    private Subscriber signedIn(String userId) {
        String userData = "{\"id\":\"" + userId + "\"}";
        com.pusher.client.PusherOptions options = new com.pusher.client.PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false)
                .setUserAuthenticator(socketId -> "{\"auth\":\"" + PlatformTestDatabase.APP_KEY + ":"
                        + dev.vask.realtime.auth.SignatureVerifier.hmacHex(PlatformTestDatabase.APP_SECRET, socketId + "::user::" + userData)
                        + "\",\"user_data\":" + new com.google.gson.JsonPrimitive(userData) + "}");
        // sign-in requested before connecting, as apps do: pusher-java-client signs in once on connect
        // (calling signin() just after connecting can race its own on-connect sign-in)
        Subscriber subscriber = new Subscriber(PlatformTestDatabase.APP_KEY, options, com.pusher.client.Pusher::signin);
        await().until(() -> userId.equals(subscriber.pusher().user().userId()));
        return subscriber;
    }

    private Pusher sdk() {
        Pusher pusher = new Pusher(PlatformTestDatabase.APP_ID, PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET);
        pusher.setHost("127.0.0.1:" + port);
        pusher.setEncrypted(false);
        return pusher;
    }

    private Pusher sdk(PusherApiTestApps.TestApp app) {
        Pusher pusher = new Pusher(Long.toString(app.id()), app.key(), app.secret());
        pusher.setHost("127.0.0.1:" + port);
        pusher.setEncrypted(false);
        return pusher;
    }

    /**
     * Triggers "sentinel" on the channel: once the API has answered an earlier trigger, every event of it is on
     * its way to each socket ahead of this one, so a socket that gets the sentinel first got nothing of it.
     */
    private void sentinel(String channel) {
        Result result = sdk().trigger(channel, "sentinel", Map.of());
        assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(Result.Status.SUCCESS);
    }

    /** Collects events a user binding receives. */
    static final class BlockingCollector {

        private final java.util.concurrent.BlockingQueue<PusherEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();

        void add(PusherEvent event) {
            events.add(event);
        }

        PusherEvent next() throws InterruptedException {
            PusherEvent event = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            return event;
        }
    }
}
