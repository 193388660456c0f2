package dev.vask.realtime.connection;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What a socket gets between the upgrade request and its first frame, for good and bad requests. */
@RealtimeServer
class ConnectionHandshakeTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    Hub hub;

    @Test
    void connectionEstablishedCarriesSocketIdAndActivityTimeoutAsAJsonString() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=7&client=js&version=8.4.0&flash=false");
        JsonNode frame = socket.next();
        assertThat(frame.get("event").asString()).isEqualTo("pusher:connection_established");
        assertThat(frame.get("data").isString()).as("data is a JSON-encoded string").isTrue();
        JsonNode data = RawSocket.JSON.readTree(frame.get("data").asString());
        assertThat(data.get("socket_id").asString()).matches("^\\d+\\.\\d+$");
        assertThat(data.get("activity_timeout").asInt()).isEqualTo(120);
        socket.close();
    }

    @Test
    void socketIdsAreUniqueAndCarryTheNodeId(@Autowired SocketIds ids) {
        AppConfig app = TestApps.create(apps);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            RawSocket socket = RawSocket.connect(port, TestApps.key(app));
            assertThat(socket.socketId()).startsWith(ids.nodeId() + ".");
            assertThat(seen.add(socket.socketId())).isTrue();
            socket.close();
        }
    }

    @Test
    void protocolFiveOfTheJavaClientIsAccepted() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.open(port, "/app/" + TestApps.key(app) + "?client=java-client&protocol=5&version=2.4.4");
        assertThat(socket.next().get("event").asString()).isEqualTo("pusher:connection_established");
        socket.close();
    }

    @Test
    void unknownKeyGetsError4001AndTheSocketIsClosedWith4001() {
        RawSocket socket = RawSocket.open(port, "/app/no-such-key?protocol=7");
        assertError(socket, 4001, "App key no-such-key does not exist");
        assertThat(socket.awaitClose()).isEqualTo(4001);
    }

    @Test
    void disabledAppGets4003() {
        AppConfig app = TestApps.create(apps, TestApps::disabled);
        RawSocket socket = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=7");
        assertError(socket, 4003, "Application disabled");
        assertThat(socket.awaitClose()).isEqualTo(4003);
    }

    @Test
    void missingProtocolGets4008() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.open(port, "/app/" + TestApps.key(app) + "?client=js");
        assertError(socket, 4008, "No protocol version supplied: add ?protocol=7");
        assertThat(socket.awaitClose()).isEqualTo(4008);
    }

    @Test
    void protocolOutsideFourToSevenGets4007() {
        AppConfig app = TestApps.create(apps);
        for (String protocol : new String[] {"3", "8", "abc", "-7", "700"}) {
            RawSocket socket = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=" + protocol);
            assertError(socket, 4007, "Unsupported protocol version: Vask speaks protocols 4 to 7");
            assertThat(socket.awaitClose()).as("protocol=" + protocol).isEqualTo(4007);
        }
    }

    @Test
    void pathWithoutAKeyOrWithExtraSegmentsGets4005() {
        AppConfig app = TestApps.create(apps);
        for (String path : new String[] {"/app/?protocol=7", "/app/" + TestApps.key(app) + "/extra?protocol=7"}) {
            RawSocket socket = RawSocket.open(port, path);
            assertError(socket, 4005, "Path not found: connect to /app/{key}");
            assertThat(socket.awaitClose()).isEqualTo(4005);
        }
    }

    @Test
    void socketOverTheAppsConnectionLimitGets4004AndOthersStayOpen() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(2, 10240, 10, 100, null)));
        RawSocket first = RawSocket.connect(port, TestApps.key(app));
        RawSocket second = RawSocket.connect(port, TestApps.key(app));
        RawSocket third = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=7");
        assertError(third, 4004, "Application is over connection quota");
        assertThat(third.awaitClose()).isEqualTo(4004);
        first.subscribed("still-open");
        first.close();
        // the place is free once the server has let the socket go (closing is asynchronous)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> hub.connectionCount(app.id()) == 1);
        RawSocket again = RawSocket.connect(port, TestApps.key(app)); // a freed place can be taken
        again.close();
        second.close();
    }

    @Test
    void plainHttpRequestToTheWebSocketPathIsToldToUpgrade() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/app/some-key?protocol=7")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(426);
        assertThat(response.body()).contains("WebSocket endpoint");
    }

    @Test
    void otherHttpPathsStillReachWebFlux() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("UP");
    }

    @Test
    void pusherPingIsAnsweredWithPusherPong() {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.sendJson("{\"event\":\"pusher:ping\",\"data\":{}}");
        JsonNode pong = socket.next();
        assertThat(pong.get("event").asString()).isEqualTo("pusher:pong");
        socket.close();
    }

    static void assertError(RawSocket socket, int code, String message) {
        JsonNode frame = socket.next();
        assertThat(frame.get("event").asString()).isEqualTo("pusher:error");
        assertThat(frame.get("data").get("code").asInt()).isEqualTo(code);
        assertThat(frame.get("data").get("message").asString()).isEqualTo(message);
    }
}
