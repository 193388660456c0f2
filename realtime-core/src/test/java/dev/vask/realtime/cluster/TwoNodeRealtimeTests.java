package dev.vask.realtime.cluster;

import java.time.Duration;
import java.util.List;

import dev.vask.realtime.api.ChannelInfo;
import dev.vask.realtime.api.ChannelQueries;
import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.api.UserConnections;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.redis.RedisBus;
import dev.vask.realtime.testing.Auth;
import dev.vask.realtime.testing.ClusterNodes;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two realtime nodes on one Redis behave as one server: sockets on either node hear each other, presence,
 * counts, queries, the connection quota, termination, server-to-user events, watchlists and cache channels are the
 * whole app's. (BlockHound watches every event loop here too.)
 */
class TwoNodeRealtimeTests {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static ClusterNodes cluster;

    @BeforeAll
    static void startTwoNodes() {
        cluster = ClusterNodes.start(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void bothNodesUseTheRedisSeams() {
        assertThat(cluster.bean(0, Bus.class)).isInstanceOf(RedisBus.class);
        assertThat(cluster.bean(1, Bus.class)).isInstanceOf(RedisBus.class);
    }

    @Test
    void anEventPublishedThroughOneNodeReachesSubscribersOnBothAndAClientEventCrossesNodes() {
        AppConfig app = TestApps.create(cluster.apps);
        RawSocket onA = RawSocket.connect(cluster.port(0), TestApps.key(app));
        RawSocket onB = RawSocket.connect(cluster.port(1), TestApps.key(app));
        onA.subscribed("news");
        onB.subscribed("news");

        cluster.bean(0, RealtimeEvents.class).trigger(app.id(), List.of(ChannelName.parse("news").orElseThrow()), "headline", "{\"n\":1}", null)
                .block(WAIT);

        assertThat(onA.nextEvent("headline").get("data").asString()).isEqualTo("{\"n\":1}");
        assertThat(onB.nextEvent("headline").get("data").asString()).isEqualTo("{\"n\":1}");

        onA.subscribe("private-chat", Auth.channel(app, onA.socketId(), "private-chat"));
        onA.nextEvent("pusher_internal:subscription_succeeded");
        onB.subscribe("private-chat", Auth.channel(app, onB.socketId(), "private-chat"));
        onB.nextEvent("pusher_internal:subscription_succeeded");
        onA.sendJson("{\"event\":\"client-typing\",\"channel\":\"private-chat\",\"data\":{\"who\":\"a\"}}");
        assertThat(onB.nextEvent("client-typing").get("data").toString()).isEqualTo("{\"who\":\"a\"}");
        onA.close();
        onB.close();
    }

    @Test
    void theSameUserOnTwoNodesIsOneMemberAndLeavesWithItsLastSocket() {
        AppConfig app = TestApps.create(cluster.apps);
        RawSocket observer = RawSocket.connect(cluster.port(1), TestApps.key(app));
        joinPresence(observer, app, "presence-room", "watcher");
        RawSocket adaOnA = RawSocket.connect(cluster.port(0), TestApps.key(app));
        RawSocket adaOnB = RawSocket.connect(cluster.port(1), TestApps.key(app));

        JsonNode listOnA = joinPresence(adaOnA, app, "presence-room", "ada");
        assertThat(observer.nextEvent("pusher_internal:member_added").get("data").asString()).contains("\"ada\"");
        JsonNode listOnB = joinPresence(adaOnB, app, "presence-room", "ada");
        assertThat(listOnA.get("data").asString()).contains("watcher").contains("ada");
        assertThat(listOnB.get("data").asString()).contains("watcher").contains("ada");

        adaOnA.close();
        observer.subscribed("sentinel-1"); // ada's socket on A left long before this subscription succeeded
        adaOnB.close();
        JsonNode removed = observer.nextEvent("pusher_internal:member_removed");
        assertThat(removed.get("data").asString()).contains("\"ada\"");
        observer.close();
    }

    @Test
    void subscriptionCountsAreTheWholeAppsOnEveryNode() {
        AppConfig app = TestApps.create(cluster.apps, a -> TestApps.withFeatures(a, new AppFeatures(true, false, true, true, false)));
        RawSocket onA = RawSocket.connect(cluster.port(0), TestApps.key(app));
        onA.subscribed("counted");
        awaitCount(onA, 1);
        RawSocket onB = RawSocket.connect(cluster.port(1), TestApps.key(app));
        onB.subscribed("counted");
        awaitCount(onA, 2);
        awaitCount(onB, 2);
        onB.close();
        awaitCount(onA, 1);
        onA.close();
    }

    @Test
    void channelQueriesThroughEitherNodeCountEveryNode() {
        AppConfig app = TestApps.create(cluster.apps);
        RawSocket onA = RawSocket.connect(cluster.port(0), TestApps.key(app));
        RawSocket onB = RawSocket.connect(cluster.port(1), TestApps.key(app));
        onA.subscribed("shared");
        onB.subscribed("shared");
        joinPresence(onB, app, "presence-hall", "bea");
        ChannelName shared = ChannelName.parse("shared").orElseThrow();
        for (int node = 0; node < 2; node++) {
            ChannelQueries queries = cluster.bean(node, ChannelQueries.class);
            await().atMost(WAIT).until(() -> queries.channel(app.id(), shared).block(WAIT).subscriptionCount() == 2);
            assertThat(queries.channels(app.id(), null).block(WAIT)).containsOnlyKeys("shared", "presence-hall");
            ChannelInfo hall = queries.channels(app.id(), "presence-").block(WAIT).get("presence-hall");
            assertThat(hall.userCount()).isEqualTo(1);
            assertThat(queries.users(app.id(), ChannelName.parse("presence-hall").orElseThrow()).block(WAIT)).containsExactly("bea");
        }
        onA.close();
        onB.close();
        ChannelQueries queries = cluster.bean(0, ChannelQueries.class);
        await().atMost(WAIT).until(() -> queries.channels(app.id(), null).block(WAIT).isEmpty());
    }

    @Test
    void theConnectionQuotaHoldsAcrossNodes() {
        AppConfig app = TestApps.create(cluster.apps, a -> TestApps.withLimits(a,
                new AppLimits(2, AppLimits.DEFAULT_MAX_MESSAGE_BYTES, AppLimits.DEFAULT_CLIENT_EVENTS_PER_SECOND,
                        AppLimits.DEFAULT_MAX_PRESENCE_MEMBERS, null)));
        RawSocket first = RawSocket.connect(cluster.port(0), TestApps.key(app));
        RawSocket second = RawSocket.connect(cluster.port(1), TestApps.key(app));
        RawSocket third = RawSocket.open(cluster.port(0), "/app/" + TestApps.key(app) + "?protocol=7");
        assertThat(third.next().get("data").get("code").asInt()).isEqualTo(4004);
        assertThat(third.awaitClose()).isEqualTo(4004);

        second.close();
        await().atMost(WAIT).untilAsserted(() -> {
            RawSocket again = RawSocket.open(cluster.port(0), "/app/" + TestApps.key(app) + "?protocol=7");
            assertThat(again.next().get("event").asString()).isEqualTo("pusher:connection_established");
            again.close();
        });
        first.close();
    }

    @Test
    void terminateAndServerToUserEventsReachTheUserOnAnotherNode() {
        AppConfig app = TestApps.create(cluster.apps);
        RawSocket dave = RawSocket.connect(cluster.port(1), TestApps.key(app));
        signin(dave, app, "{\"id\":\"dave\"}");

        cluster.bean(0, RealtimeEvents.class).sendToUser(app.id(), "dave", "invoice", "{\"id\":7}", null).block(WAIT);
        assertThat(dave.nextEvent("invoice").get("data").asString()).isEqualTo("{\"id\":7}");

        cluster.bean(0, UserConnections.class).terminate(app.id(), "dave").block(WAIT);
        assertThat(dave.awaitClose()).isEqualTo(4009);
    }

    @Test
    void watchersOnOneNodeHearOfUsersComingAndGoingOnAnother() {
        AppConfig app = TestApps.create(cluster.apps);
        RawSocket watcher = RawSocket.connect(cluster.port(0), TestApps.key(app));
        signin(watcher, app, "{\"id\":\"wes\",\"watchlist\":[\"bob\"]}");
        assertThat(watcher.nextEvent("pusher_internal:watchlist_events").get("data").asString()).contains("offline");

        RawSocket bob = RawSocket.connect(cluster.port(1), TestApps.key(app));
        signin(bob, app, "{\"id\":\"bob\"}");
        JsonNode online = watcher.nextEvent("pusher_internal:watchlist_events");
        assertThat(online.get("data").asString()).contains("\"online\"").contains("bob");

        bob.close();
        JsonNode offline = watcher.nextEvent("pusher_internal:watchlist_events");
        assertThat(offline.get("data").asString()).contains("\"offline\"").contains("bob");
        watcher.close();
    }

    @Test
    void aCacheChannelsLastEventPublishedThroughOneNodeIsReplayedOnTheOther() {
        AppConfig app = TestApps.create(cluster.apps);
        cluster.bean(0, RealtimeEvents.class).trigger(app.id(), List.of(ChannelName.parse("cache-price").orElseThrow()), "tick", "42", null)
                .block(WAIT);
        RawSocket late = RawSocket.connect(cluster.port(1), TestApps.key(app));
        late.subscribed("cache-price");
        assertThat(late.nextEvent("tick").get("data").asString()).isEqualTo("42");
        late.close();
    }

    private static void awaitCount(RawSocket socket, int count) {
        while (true) {
            JsonNode update = socket.nextEvent("pusher_internal:subscription_count");
            if (update.get("data").asString().equals("{\"subscription_count\":" + count + "}")) {
                return;
            }
        }
    }

    private static JsonNode joinPresence(RawSocket socket, AppConfig app, String channel, String user) {
        String data = "{\"user_id\":\"" + user + "\",\"user_info\":{\"name\":\"" + user + "\"}}";
        socket.subscribePresence(channel, Auth.presence(app, socket.socketId(), channel, data), data);
        return socket.nextEvent("pusher_internal:subscription_succeeded");
    }

    private static void signin(RawSocket socket, AppConfig app, String userData) {
        socket.sendJson("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + Auth.user(app, socket.socketId(), userData)
                + "\",\"user_data\":" + RawSocket.JSON.writeValueAsString(userData) + "}}");
        socket.nextEvent("pusher:signin_success");
    }
}
