package dev.vask.realtime.connection;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import dev.vask.testing.wire.WireSocket;
import io.netty.util.AttributeKey;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an idle socket keeps on the heap (issue 14 holds it to 1.3x a bare Netty broadcast server): the WebSocket
 * decoder and encoder and its connection, nothing of Reactor Netty, no string of its own for the app key, and the
 * UTF-8 validator and frame aggregator only once its client fragments a message.
 */
@RealtimeServer
class ConnectionFootprintTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    Hub hub;

    @Test
    void anIdleSubscribedSocketHasNoFragmentHandlersAndNoReactorNettyHandle() throws Exception {
        AppConfig app = TestApps.create(apps);
        RawSocket socket = RawSocket.connect(port, TestApps.key(app));
        socket.subscribe("footprint");
        socket.subscribed("footprint");
        Connection connection = connectionOf(socket.socketId());
        List<String> handlers = connection.channel.pipeline().names();
        assertThat(handlers).contains("wsdecoder", "wsencoder", "vask.connection").doesNotContain("vask.utf8", "vask.aggregator");
        assertThat(connection.channel.hasAttr(AttributeKey.valueOf(WebSocketHandshake.REACTOR_CONNECTION_ATTRIBUTE))).isFalse();
        assertThat(connection.key).as("the app's own key string, not one parsed from the path").isSameAs(TestApps.key(app));
        socket.close();
    }

    @Test
    void theHandleForgottenIsTheOneReactorNettyKeeps() throws ReflectiveOperationException {
        Field field = Class.forName("reactor.netty.ReactorNetty").getDeclaredField("CONNECTION");
        field.setAccessible(true);
        assertThat(((AttributeKey<?>) field.get(null)).name()).isEqualTo(WebSocketHandshake.REACTOR_CONNECTION_ATTRIBUTE);
    }

    @Test
    void aFragmentedMessagePutsTheValidatorAndAggregatorBetweenTheDecoderAndTheConnection() throws Exception {
        AppConfig app = TestApps.create(apps);
        byte[] ping = "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        try (WireSocket socket = WireSocket.open("127.0.0.1", port, "/app/" + TestApps.key(app) + "?protocol=7", Duration.ofSeconds(5))) {
            JsonNode established = RawSocket.JSON.readTree(socket.awaitText("pusher:connection_established").text());
            String socketId = RawSocket.JSON.readTree(established.get("data").asString()).get("socket_id").asString();
            socket.send(WireSocket.TEXT, false, true, 5, Arrays.copyOfRange(ping, 0, 5));
            socket.send(WireSocket.CONTINUATION, true, true, ping.length - 5, Arrays.copyOfRange(ping, 5, ping.length));
            socket.awaitText("pusher:pong");
            assertThat(connectionOf(socketId).channel.pipeline().names())
                    .containsSubsequence("wsdecoder", "vask.utf8", "vask.aggregator", "vask.connection");
        }
    }

    private Connection connectionOf(String socketId) throws Exception {
        for (LoopConnections loop : hub.loops.all()) {
            Connection[] sockets = CompletableFuture.supplyAsync(loop::snapshot, loop.loop).get(5, TimeUnit.SECONDS);
            for (Connection connection : sockets) {
                if (connection.socketId().equals(socketId)) {
                    return connection;
                }
            }
        }
        throw new AssertionError("no connection has socket id " + socketId);
    }
}
