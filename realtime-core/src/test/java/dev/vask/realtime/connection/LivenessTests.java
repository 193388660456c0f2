package dev.vask.realtime.connection;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.testing.Auth;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeTestApplication;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Server-side liveness with short timeouts: pings, 4201, and the sign-in deadline (4009). */
@SpringBootTest(classes = RealtimeTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vask.realtime.activity-timeout=1s", "vask.realtime.ping-grace=0s", "vask.realtime.pong-timeout=1s",
                "vask.realtime.user-authentication-timeout=1s"})
class LivenessTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Test
    void activityTimeoutIsToldToTheClient() {
        RawSocket socket = RawSocket.open(port, "/app/" + TestApps.key(TestApps.create(apps)) + "?protocol=7");
        JsonNode established = socket.next();
        assertThat(RawSocket.JSON.readTree(established.get("data").asString()).get("activity_timeout").asInt()).isEqualTo(1);
        socket.close();
    }

    @Test
    void silentClientIsPingedAndClosedWith4201WhenItDoesNotAnswer() {
        RawSocket socket = RawSocket.connect(port, TestApps.key(TestApps.create(apps)));
        JsonNode ping = socket.next();
        assertThat(ping.toString()).isEqualTo("{\"event\":\"pusher:ping\",\"data\":{}}");
        assertThat(socket.nextEvent("pusher:error").get("data").get("code").asInt()).isEqualTo(4201);
        assertThat(socket.awaitClose()).isEqualTo(4201);
    }

    @Test
    void clientThatAnswersThePingStaysConnected() {
        RawSocket socket = RawSocket.connect(port, TestApps.key(TestApps.create(apps)));
        for (int i = 0; i < 3; i++) {
            assertThat(socket.nextEvent("pusher:ping")).isNotNull();
            socket.sendJson("{\"event\":\"pusher:pong\",\"data\":{}}");
        }
        assertThat(socket.isClosedOrClosing()).isFalse();
        socket.close();
    }

    @Test
    void whenSigninIsRequiredASocketThatNeitherSignsInNorSubscribesPrivatelyIsClosedWith4009() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withFeatures(a, new AppFeatures(true, true, false, false, false)));
        RawSocket idle = RawSocket.connect(port, TestApps.key(app));
        RawSocket signedIn = RawSocket.connect(port, TestApps.key(app));
        signedIn.sendJson("{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"" + Auth.user(app, signedIn.socketId(), "{\"id\":\"1\"}")
                + "\",\"user_data\":\"{\\\"id\\\":\\\"1\\\"}\"}}");
        signedIn.nextEvent("pusher:signin_success");
        RawSocket privateSubscriber = RawSocket.connect(port, TestApps.key(app));
        privateSubscriber.subscribe("private-p", Auth.channel(app, privateSubscriber.socketId(), "private-p"));
        privateSubscriber.nextEvent("pusher_internal:subscription_succeeded");

        JsonNode error = idle.nextEvent("pusher:error");
        assertThat(error.get("data").get("message").asString()).isEqualTo("Connection not authorized within timeout");
        assertThat(idle.awaitClose()).isEqualTo(4009);
        signedIn.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        assertThat(signedIn.nextEvent("pusher:pong")).isNotNull();
        privateSubscriber.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        assertThat(privateSubscriber.nextEvent("pusher:pong")).isNotNull();
        signedIn.close();
        privateSubscriber.close();
    }

    @Test
    void withoutTheRequirementAnAnonymousSocketIsNotClosedForNotSigningIn() {
        RawSocket socket = RawSocket.connect(port, TestApps.key(TestApps.create(apps)));
        // the server's pings are the sentinels: the sweep that sends the first one is past the sign-in deadline
        // (both are 1 s here) and checks that deadline first, so a closing 4009 would come before it
        socket.expectSentinel("pusher:ping");
        socket.sendJson("{\"event\":\"pusher:pong\",\"data\":{}}");
        socket.expectSentinel("pusher:ping"); // a whole activity period later: still open
        socket.sendJson("{\"event\":\"pusher:pong\",\"data\":{}}");
        socket.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        socket.expectSentinel("pusher:pong");
        socket.close();
    }
}
