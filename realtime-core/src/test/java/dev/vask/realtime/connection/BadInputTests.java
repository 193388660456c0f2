package dev.vask.realtime.connection;

import java.nio.ByteBuffer;

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

/** Frames no client should send: each gets a pusher:error, the socket stays usable, nothing leaks. */
@RealtimeServer
class BadInputTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Test
    void malformedJsonGetsAnErrorAndTheSocketStaysOpen() {
        RawSocket socket = socket(TestApps.create(apps));
        for (String junk : new String[] {"not json", "{\"event\":", "[1,2]", "\"string\"", "{}", "{\"event\":42}",
                "{\"event\":\"pusher:ping\"} trailing", "{\"event\":\"a\",\"event\":\"b\"}"}) {
            socket.sendJson(junk);
            JsonNode error = socket.next();
            assertThat(error.get("event").asString()).as(junk).isEqualTo("pusher:error");
            assertThat(error.get("data").get("code").asInt()).isEqualTo(4300);
            assertThat(error.get("data").get("message").asString()).startsWith("Invalid message: ").doesNotContain("Exception", "at ");
        }
        assertThat(socket.subscribed("ok").get("event").asString()).isEqualTo("pusher_internal:subscription_succeeded");
        socket.close();
    }

    @Test
    void binaryFramesAreRefusedWithAnError() {
        RawSocket socket = socket(TestApps.create(apps));
        socket.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        JsonNode error = socket.next();
        assertThat(error.get("data").get("message").asString()).isEqualTo("Binary frames are not supported; send JSON text frames");
        socket.subscribed("ok");
        socket.close();
    }

    @Test
    void framesOverTheAppsMessageLimitAreRefusedWithoutClosing() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(null, 1000, 10, 100, null)));
        RawSocket socket = socket(app);
        socket.sendJson("{\"event\":\"client-x\",\"channel\":\"private-a\",\"data\":\"" + "x".repeat(6000) + "\"}");
        assertThat(socket.next().get("data").get("message").asString()).isEqualTo("Message is larger than 5096 bytes");
        socket.subscribed("ok");
        socket.close();
    }

    @Test
    void anAppAllowedLargerMessagesThanTheServerWideFrameLimitGetsThemThrough() {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(null, 1_048_576, 10, 100, null)));
        RawSocket socket = socket(app);
        // 300 KB: over the server-wide 256 KB, within the app's 1 MB; refused only for not being subscribed
        socket.sendJson("{\"event\":\"client-x\",\"channel\":\"private-a\",\"data\":\"" + "x".repeat(300 * 1024) + "\"}");
        assertThat(socket.next().get("data").get("message").asString()).doesNotContain("larger than");
        // over the app's limit and its envelope: answered, and the socket stays
        socket.sendJson("{\"event\":\"client-x\",\"channel\":\"private-a\",\"data\":\"" + "x".repeat(1_100_000) + "\"}");
        assertThat(socket.next().get("data").get("message").asString()).isEqualTo("Message is larger than 1052672 bytes");
        socket.subscribed("ok");
        socket.close();
    }

    @Test
    void framesOverTheServerWideLimitCloseTheSocketAsTooBig() {
        RawSocket socket = socket(TestApps.create(apps));
        socket.send("{\"event\":\"x\",\"data\":\"" + "x".repeat(300 * 1024) + "\"}");
        // 1009 (message too big) when the client reads the close frame before the server's reset, 1006 otherwise
        assertThat(socket.awaitClose()).isIn(1009, 1006);
    }

    @Test
    void subscribeWithoutAChannelOrWithWrongTypesGetsAnError() {
        RawSocket socket = socket(TestApps.create(apps));
        socket.sendJson("{\"event\":\"pusher:subscribe\",\"data\":{}}");
        assertThat(socket.next().get("data").get("message").asString()).isEqualTo("pusher:subscribe needs data.channel");
        socket.sendJson("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":42}}");
        assertThat(socket.next().get("data").get("message").asString()).isEqualTo("pusher:subscribe needs data.channel");
        socket.sendJson("{\"event\":\"pusher:subscribe\",\"data\":\"presence-x\"}");
        assertThat(socket.next().get("data").get("message").asString()).isEqualTo("pusher:subscribe needs data.channel");
        socket.sendJson("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-x\",\"auth\":\"a:b\",\"channel_data\":{\"user_id\":1}}}");
        assertThat(socket.nextEvent("pusher:subscription_error").get("data").get("error").asString())
                .isEqualTo("channel_data must be a JSON-encoded string");
        socket.close();
    }

    private RawSocket socket(AppConfig app) {
        return RawSocket.connect(port, TestApps.key(app));
    }
}
