package dev.vask.server.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import com.pusher.client.PusherOptions;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.PresenceUser;
import com.pusher.rest.data.Result;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.vask.server.sdk.PusherHttpNode;
import dev.vask.testing.browser.Chromium;
import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.redis.RedisServerProcess;
import dev.vask.testing.redis.TestRedis;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several Vask nodes, each the packaged jar in its own process, on one PostgreSQL and one Redis, driven by the
 * official SDKs as a customer's backend and browsers would: node A runs the API role only (no sockets), B and C run
 * realtime and the API; pusher-js runs in Chromium and the Node.js server SDK publishes. Publish through A,
 * receive on B and C; presence, counts, channel queries, terminate,
 * server-to-user and cache channels across nodes; the connection quota across nodes; a node killed with SIGKILL;
 * Redis stopped and started again mid-test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final String MASTER_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    private static final String APP_ID = "6006";
    private static final String APP_KEY = "cluster-app-key";
    private static final String APP_SECRET = "cluster-app-secret-0123456789abcdef";
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Gson JSON = new Gson();

    private static Path directory;
    private static RedisServerProcess redis;
    private static TestDatabase database;
    private static VaskNode a;
    private static VaskNode b;
    private static VaskNode c;
    private static final List<VaskNode> extra = new ArrayList<>();
    private static String prefix;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        directory = Files.createTempDirectory("vask-cluster-it");
        redis = RedisServerProcess.launch();
        database = TestDatabase.create();
        prefix = TestRedis.newPrefix();
        // the first node creates the demo app; the others start on the same database once it exists
        a = node("a", "api").awaitReady();
        database.execute("update apps set client_events_enabled = true, watchlist_events_enabled = true, subscription_count_enabled = true where id = "
                + APP_ID);
        b = node("b", "realtime,api");
        c = node("c", "realtime,api");
        b.awaitReady();
        c.awaitReady();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (VaskNode node : extra) {
            node.close();
        }
        for (VaskNode node : new VaskNode[] {a, b, c}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static VaskNode node(String name, String roles) throws Exception {
        Map<String, String> environment = Map.of("VASK_DATABASE_URL", database.url(), "VASK_MASTER_KEY", MASTER_KEY,
                "VASK_REDIS_URL", redis.url(), "VASK_ROLES", roles, "VASK_BOOTSTRAP_APP_ID", APP_ID, "VASK_BOOTSTRAP_APP_KEY", APP_KEY,
                "VASK_BOOTSTRAP_APP_SECRET", APP_SECRET);
        return VaskNode.start(name, directory, environment, List.of("--vask.cluster.key-prefix=" + prefix,
                "--vask.cluster.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms", "--vask.cluster.node-timeout=" + NODE_TIMEOUT.toMillis() + "ms",
                "--vask.cluster.command-timeout=1s", "--vask.realtime.subscription-count-delay=100ms"));
    }

    @Test
    @Order(1)
    void anEventPublishedThroughTheApiOnlyNodeReachesSubscribersOnTwoOtherNodes() throws Exception {
        assertThat(a.get("/app/" + APP_KEY + "?protocol=7").statusCode()).as("the api node holds no sockets").isNotEqualTo(426);
        try (Subscriber onB = subscriber(b).subscribe("news", "headline"); Subscriber onC = subscriber(c).subscribe("news", "headline")) {
            Result result = api(a).trigger("news", "headline", Map.of("title", "one server"));
            assertThat(result.getHttpStatus()).as(result.getMessage()).isEqualTo(200);
            assertThat(onB.next().getData()).isEqualTo("{\"title\":\"one server\"}");
            assertThat(onC.next().getData()).isEqualTo("{\"title\":\"one server\"}");
        }
    }

    @Test
    @Order(1)
    void theNodeSdkPublishesThroughTheApiNodeToPusherJsInChromiumOnOneNodeAndAJavaClientOnAnother() throws Exception {
        PusherHttpNode.install();
        Path pusherJs = Path.of("target", "pusher-js", "package", "dist", "web", "pusher.min.js");
        assertThat(pusherJs).as("pusher-js, unpacked by the build (generate-test-resources)").isRegularFile();
        try (Playwright playwright = Playwright.create(); Browser browser = Chromium.launch(playwright);
                Subscriber onB = subscriber(b).subscribe("browser-news", "story")) {
            Page tab = browser.newPage();
            tab.addScriptTag(new Page.AddScriptTagOptions().setPath(pusherJs));
            tab.evaluate("""
                    ([key, port]) => new Promise((resolve, reject) => {
                      window.received = [];
                      window.pusher = new Pusher(key, { wsHost: '127.0.0.1', wsPort: port, forceTLS: false, cluster: 'vask' });
                      const channel = pusher.subscribe('browser-news');
                      channel.bind('story', (data) => received.push(data));
                      channel.bind('pusher:subscription_succeeded', () => resolve());
                      channel.bind('pusher:subscription_error', (error) => reject(new Error(JSON.stringify(error))));
                    })""", List.of(APP_KEY, c.port));

            Map<String, Object> options = Map.of("appId", APP_ID, "key", APP_KEY, "secret", APP_SECRET, "host", "127.0.0.1",
                    "port", Integer.toString(a.port));
            assertThat(PusherHttpNode.call(options, "trigger", "browser-news", "story", Map.of("id", 42)).get("status").getAsInt()).isEqualTo(200);

            tab.waitForFunction("() => received.length === 1");
            assertThat(tab.evaluate("() => received[0]")).isEqualTo(Map.of("id", 42));
            assertThat(onB.next().getData()).isEqualTo("{\"id\":42}");
        }
    }

    @Test
    @Order(2)
    void theSameUserOnTwoNodesIsOnePresenceMemberAndQueriesThroughAnyNodeAgree() throws Exception {
        List<String> added = new CopyOnWriteArrayList<>();
        List<String> removed = new CopyOnWriteArrayList<>();
        try (Subscriber observer = presence(c, "observer", "presence-office", added, removed);
                Subscriber aliceOnB = presence(b, "alice", "presence-office", new ArrayList<>(), new ArrayList<>())) {
            Subscriber aliceOnC = presence(c, "alice", "presence-office", new ArrayList<>(), new ArrayList<>());
            for (VaskNode node : List.of(a, b, c)) {
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    Result users = api(node).get("/channels/presence-office/users");
                    assertThat(JsonParser.parseString(users.getMessage()).getAsJsonObject().getAsJsonArray("users"))
                            .extracting(user -> user.getAsJsonObject().get("id").getAsString()).containsExactlyInAnyOrder("observer", "alice");
                    Result channel = api(node).get("/channels/presence-office", Map.of("info", "user_count,subscription_count"));
                    assertThat(JsonParser.parseString(channel.getMessage())).isEqualTo(JsonParser.parseString(
                            "{\"occupied\":true,\"user_count\":2,\"subscription_count\":3}"));
                });
            }
            aliceOnC.close();
            aliceOnB.pusher().disconnect();
            await().atMost(Duration.ofSeconds(5)).until(() -> removed.contains("alice"));
            assertThat(added).containsExactly("alice");
            assertThat(removed).containsExactly("alice");
        }
    }

    @Test
    @Order(3)
    void subscriptionCountsAndChannelListsAreTheWholeAppsThroughEveryNode() throws Exception {
        try (Subscriber onB = subscriber(b).subscribe("ticker"); Subscriber onC = subscriber(c).subscribe("ticker")) {
            for (VaskNode node : List.of(a, b, c)) {
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(JsonParser.parseString(
                        api(node).get("/channels", Map.of("filter_by_prefix", "tick", "info", "subscription_count")).getMessage()))
                        .isEqualTo(JsonParser.parseString("{\"channels\":{\"ticker\":{\"subscription_count\":2}}}")));
            }
        }
    }

    @Test
    @Order(4)
    void serverToUserEventsAndTerminateReachTheUserOnAnotherNode() throws Exception {
        PusherOptions options = options(c).setUserAuthenticator(socketId -> userAuth(socketId, "dave"));
        try (Subscriber dave = new Subscriber(APP_KEY, options, com.pusher.client.Pusher::signin); Subscriber bystander = subscriber(b)) {
            await().until(() -> "dave".equals(dave.pusher().user().userId()));
            BlockingQueue<PusherEvent> events = new LinkedBlockingQueue<>();
            dave.pusher().user().bind("invoice", events::add);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                api(a).post("/users/dave/events", JSON.toJson(Map.of("name", "invoice", "data", "{\"id\":7}")));
                return events.poll(300, TimeUnit.MILLISECONDS) != null;
            });

            assertThat(api(b).post("/users/dave/terminate_connections", "{}").getHttpStatus()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> dave.pusher().getConnection().getState() == ConnectionState.DISCONNECTED);
            assertThat(dave.errors()).anyMatch(error -> error.startsWith("4009"));
            assertThat(bystander.pusher().getConnection().getState()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    @Order(5)
    void aCacheChannelsEventPublishedThroughOneNodeIsReplayedToASubscriberOnAnother() throws Exception {
        assertThat(api(a).trigger("cache-quote", "price", Map.of("eur", 42)).getHttpStatus()).isEqualTo(200);
        try (Subscriber late = subscriber(c).subscribe("cache-quote", "price")) {
            assertThat(late.next().getData()).isEqualTo("{\"eur\":42}");
        }
        Result cache = api(b).get("/channels/cache-quote", Map.of("info", "cache"));
        assertThat(cache.getMessage()).contains("\"event\":\"price\"");
    }

    @Test
    @Order(6)
    void aNodeKilledWithSigkillLosesItsPresenceMembersWithinTheNodeTimeout() throws Exception {
        VaskNode d = node("d", "realtime");
        extra.add(d);
        d.awaitReady();
        List<String> removed = new CopyOnWriteArrayList<>();
        try (Subscriber observer = presence(b, "watcher", "presence-lobby", new ArrayList<>(), removed)) {
            Subscriber ghost = presence(d, "ghost", "presence-lobby", new ArrayList<>(), new ArrayList<>());
            await().atMost(Duration.ofSeconds(5)).until(() -> api(a).get("/channels/presence-lobby/users").getMessage().contains("ghost"));

            d.kill();
            long killed = System.nanoTime();
            await().atMost(NODE_TIMEOUT.plus(HEARTBEAT).plusSeconds(5)).until(() -> removed.contains("ghost"));
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(took).isLessThan(NODE_TIMEOUT.plus(HEARTBEAT).plusSeconds(3));
            assertThat(api(c).get("/channels/presence-lobby/users").getMessage()).doesNotContain("ghost");
            ghost.pusher().disconnect();
        }
    }

    @Test
    @Order(7)
    void whileRedisIsDownEventsGet503AndNodesAreNotReadyAndWithin5SecondsOfItsReturnEveryAcceptedEventArrives() throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (Subscriber onB = subscriber(b); Subscriber onC = subscriber(c)) {
            onB.pusher().subscribe("orders").bind("order", event -> received.add("b" + event.getData()));
            onC.pusher().subscribe("orders").bind("order", event -> received.add("c" + event.getData()));
            await().until(() -> onB.pusher().getChannel("orders").isSubscribed() && onC.pusher().getChannel("orders").isSubscribed());
            List<Integer> accepted = new ArrayList<>();
            int n = 0;

            redis.stop();
            Result refused = api(a).trigger("orders", "order", Map.of("n", n++));
            assertThat(refused.getHttpStatus()).isEqualTo(503);
            assertThat(refused.getMessage()).contains("Redis");
            await().atMost(Duration.ofSeconds(5)).until(() -> a.readiness() == 503 && b.readiness() == 503 && c.readiness() == 503);
            assertThat(onB.pusher().getConnection().getState()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(onC.pusher().getConnection().getState()).isEqualTo(ConnectionState.CONNECTED);

            redis.start();
            long back = System.nanoTime();
            boolean ready = false;
            List<String> refusals = new ArrayList<>();
            while (System.nanoTime() - back < Duration.ofSeconds(5).toNanos() && !(ready && !accepted.isEmpty())) {
                Result result = api(a).trigger("orders", "order", Map.of("n", n));
                assertThat(result.getHttpStatus()).isIn(200, 503);
                if (result.getHttpStatus() == 200) {
                    accepted.add(n);
                }
                else {
                    refusals.add((System.nanoTime() - back) / 1_000_000 + " ms: " + result.getMessage());
                }
                n++;
                ready = a.readiness() == 200 && b.readiness() == 200 && c.readiness() == 200;
            }
            assertThat(ready).as("every node ready within 5 s of Redis's return").isTrue();
            assertThat(accepted).as("events accepted within 5 s of Redis's return; refusals: %s", refusals).isNotEmpty();
            for (int i = 0; i < 10; i++, n++) {
                assertThat(api(i % 2 == 0 ? b : c).trigger("orders", "order", Map.of("n", n)).getHttpStatus()).isEqualTo(200);
                accepted.add(n);
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (int accept : accepted) {
                    assertThat(received).contains("b{\"n\":" + accept + "}", "c{\"n\":" + accept + "}");
                }
            });
        }
    }

    @Test
    @Order(8)
    void theConnectionQuotaHoldsAcrossNodes() throws Exception {
        database.execute("update apps set max_connections = 2 where id = " + APP_ID);
        try (Subscriber onB = subscriber(b); Subscriber onC = subscriber(c)) {
            // the limit reaches every node through the database's change feed; until then a third socket still opens
            await().atMost(Duration.ofSeconds(15)).until(() -> thirdSocketRefusedWith4004(b));
            assertThat(thirdSocketRefusedWith4004(c)).isTrue();
        }
        finally {
            database.execute("update apps set max_connections = null where id = " + APP_ID);
        }
    }

    private static boolean thirdSocketRefusedWith4004(VaskNode node) throws InterruptedException {
        com.pusher.client.Pusher third = new com.pusher.client.Pusher(APP_KEY, options(node));
        BlockingQueue<String> outcome = new LinkedBlockingQueue<>();
        third.connect(new com.pusher.client.connection.ConnectionEventListener() {
            @Override public void onConnectionStateChange(com.pusher.client.connection.ConnectionStateChange change) {
                if (change.getCurrentState() == ConnectionState.CONNECTED) {
                    outcome.add("connected");
                }
            }
            @Override public void onError(String message, String code, Exception e) { outcome.add(code + " " + message); }
        });
        String first = outcome.poll(10, TimeUnit.SECONDS);
        third.disconnect();
        return first != null && first.startsWith("4004");
    }

    // ---- helpers ----

    private static PusherOptions options(VaskNode node) {
        return new PusherOptions().setHost("127.0.0.1").setWsPort(node.port).setUseTLS(false)
                .setChannelAuthorizer((channel, socketId) -> api(node).authenticate(socketId, channel));
    }

    private static Subscriber subscriber(VaskNode node) {
        return new Subscriber(APP_KEY, options(node));
    }

    private static Subscriber presence(VaskNode node, String user, String channel, List<String> added, List<String> removed) {
        PusherOptions options = options(node).setChannelAuthorizer((name, socketId) ->
                api(node).authenticate(socketId, name, new PresenceUser(user, Map.of("name", user))));
        Subscriber subscriber = new Subscriber(APP_KEY, options);
        subscriber.pusher().subscribePresence(channel, new PresenceChannelEventListener() {
            @Override public void onUsersInformationReceived(String name, Set<User> users) { }
            @Override public void userSubscribed(String name, User member) { added.add(member.getId()); }
            @Override public void userUnsubscribed(String name, User member) { removed.add(member.getId()); }
            @Override public void onAuthenticationFailure(String message, Exception e) { }
            @Override public void onSubscriptionSucceeded(String name) { }
            @Override public void onEvent(PusherEvent event) { }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.pusher().getPresenceChannel(channel).isSubscribed());
        return subscriber;
    }

    private static Pusher api(VaskNode node) {
        Pusher pusher = new Pusher(APP_ID, APP_KEY, APP_SECRET);
        pusher.setHost("127.0.0.1:" + node.port);
        pusher.setEncrypted(false);
        return pusher;
    }

    private static String userAuth(String socketId, String user) {
        String userData = JSON.toJson(Map.of("id", user));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = HexFormat.of().formatHex(mac.doFinal((socketId + "::user::" + userData).getBytes(StandardCharsets.UTF_8)));
            return JSON.toJson(Map.of("auth", APP_KEY + ":" + signature, "user_data", userData));
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
