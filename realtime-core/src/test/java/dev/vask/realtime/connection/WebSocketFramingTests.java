package dev.vask.realtime.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import dev.vask.testing.wire.WireSocket;
import dev.vask.testing.wire.WireSocket.Frame;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6455 at the frame level, with bytes no well-behaved client sends: every violation is answered with the
 * close code the RFC names (1002 protocol error, 1007 invalid data, 1009 too big), never a bare TCP close,
 * and a good close is echoed.
 */
@RealtimeServer
class WebSocketFramingTests {

    private static final byte[] INVALID_UTF8 = {'{', '"', (byte) 0xC3, 0x28, '"', '}'};

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Test
    void invalidUtf8InATextFrameClosesWith1007() throws IOException {
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.TEXT, INVALID_UTF8);
            assertThat(closeCode(socket)).isEqualTo(1007);
        }
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsClosesWith1007() throws IOException {
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.TEXT, false, true, 3, new byte[] {'{', '"', (byte) 0xE2});
            socket.send(WireSocket.CONTINUATION, true, true, 3, new byte[] {(byte) 0x28, '"', '}'});
            assertThat(closeCode(socket)).isEqualTo(1007);
        }
    }

    @Test
    void validUtf8SplitInsideACharacterAcrossFragmentsIsOneMessage() throws IOException {
        byte[] euro = "{\"event\":\"pusher:ping\",\"data\":{\"x\":\"\u20ac\"}}".getBytes(StandardCharsets.UTF_8);
        int split = new String(euro, StandardCharsets.UTF_8).indexOf('\u20ac') + 1; // inside the three bytes of the euro sign
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.TEXT, false, true, split, java.util.Arrays.copyOf(euro, split));
            socket.send(WireSocket.CONTINUATION, true, true, euro.length - split, java.util.Arrays.copyOfRange(euro, split, euro.length));
            assertThat(socket.awaitText("pusher:pong").text()).contains("pusher:pong");
        }
    }

    @Test
    void aMessageInManyFragmentsWithAPingBetweenIsOneMessageAndTheNextOneToo() throws IOException {
        byte[] ping = "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        try (WireSocket socket = connected()) {
            for (int round = 0; round < 2; round++) {
                socket.send(WireSocket.TEXT, false, true, 5, java.util.Arrays.copyOfRange(ping, 0, 5));
                socket.send(WireSocket.PING, true, true, 4, new byte[] {'p', 'i', 'n', 'g'});
                socket.send(WireSocket.CONTINUATION, false, true, 10, java.util.Arrays.copyOfRange(ping, 5, 15));
                socket.send(WireSocket.CONTINUATION, true, true, ping.length - 15, java.util.Arrays.copyOfRange(ping, 15, ping.length));
                Frame pong = socket.next();
                assertThat(pong.opcode()).as("the ping between the fragments is answered first").isEqualTo(WireSocket.PONG);
                assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("ping");
                assertThat(socket.next().text()).as("round %d", round).contains("pusher:pong");
            }
        }
    }

    @Test
    void wholeTextFramesAfterAFragmentedMessageAreStillCheckedForUtf8() throws IOException {
        byte[] ping = "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.TEXT, false, true, 5, java.util.Arrays.copyOfRange(ping, 0, 5));
            socket.send(WireSocket.CONTINUATION, true, true, ping.length - 5, java.util.Arrays.copyOfRange(ping, 5, ping.length));
            assertThat(socket.awaitText("pusher:pong").text()).contains("pusher:pong");
            socket.send(WireSocket.TEXT, ping);
            assertThat(socket.awaitText("pusher:pong").text()).contains("pusher:pong");
            socket.send(WireSocket.TEXT, INVALID_UTF8);
            assertThat(closeCode(socket)).isEqualTo(1007);
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitClosesWith1009() throws IOException {
        byte[] fragment = new byte[100 * 1024];
        java.util.Arrays.fill(fragment, (byte) 'x');
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.TEXT, false, true, fragment.length, fragment);
            socket.send(WireSocket.CONTINUATION, false, true, fragment.length, fragment);
            socket.send(WireSocket.CONTINUATION, true, true, fragment.length, fragment); // 300 KB, over the server-wide 256 KB
            assertThat(closeCode(socket)).isEqualTo(1009);
        }
    }

    @Test
    void anAppAllowedLargerMessagesGetsThemThroughInFragmentsToo() throws IOException {
        AppConfig app = TestApps.create(apps, a -> TestApps.withLimits(a, new AppLimits(null, 1_048_576, 10, 100, null)));
        byte[] message = ("{\"event\":\"pusher:ping\",\"data\":\"" + "x".repeat(300 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        int third = message.length / 3;
        try (WireSocket socket = WireSocket.open("127.0.0.1", port, "/app/" + TestApps.key(app) + "?protocol=7", Duration.ofSeconds(5))) {
            socket.awaitText("pusher:connection_established");
            socket.send(WireSocket.TEXT, false, true, third, java.util.Arrays.copyOfRange(message, 0, third));
            socket.send(WireSocket.CONTINUATION, false, true, third, java.util.Arrays.copyOfRange(message, third, 2 * third));
            socket.send(WireSocket.CONTINUATION, true, true, message.length - 2 * third, java.util.Arrays.copyOfRange(message, 2 * third, message.length));
            assertThat(socket.awaitText("pusher:pong").text()).as("300 KB: over the server-wide 256 KB, within the app's 1 MB").contains("pusher:pong");
        }
    }

    @Test
    void closeCodesThatMayNotBeSentAreAnsweredWith1002() throws IOException {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            try (WireSocket socket = connected()) {
                socket.send(WireSocket.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
                assertThat(closeCode(socket)).as("close code %d", code).isEqualTo(1002);
            }
        }
    }

    @Test
    void aCloseFrameWithAOneByteBodyIsAnsweredWith1002() throws IOException {
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.CLOSE, new byte[] {3});
            assertThat(closeCode(socket)).isEqualTo(1002);
        }
    }

    @Test
    void aCloseReasonThatIsNotUtf8IsAnsweredWith1007() throws IOException {
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.CLOSE, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28});
            assertThat(closeCode(socket)).isEqualTo(1007);
        }
    }

    @Test
    void aGoodCloseIsEchoed() throws IOException {
        for (int code : new int[] {1000, 1001, 3000, 4999}) {
            try (WireSocket socket = connected()) {
                socket.send(WireSocket.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code, 'b', 'y', 'e'});
                assertThat(closeCode(socket)).as("close code %d", code).isEqualTo(code);
            }
        }
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.CLOSE, new byte[0]);
            Frame close = socket.awaitClose();
            assertThat(close).as("an empty close is answered with a close frame").isNotNull();
        }
    }

    @Test
    void framesNoClientMaySendAreAnsweredWith1002() throws IOException {
        byte[] ping = "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        record Violation(String what, int opcode, boolean fin, boolean masked, byte[] payload) {
        }
        for (Violation violation : new Violation[] {
                new Violation("unmasked", WireSocket.TEXT, true, false, ping),
                new Violation("reserved opcode 3", 0x3, true, true, ping),
                new Violation("reserved opcode 0xB", 0xB, true, true, new byte[0]),
                new Violation("continuation with nothing to continue", WireSocket.CONTINUATION, true, true, ping),
                new Violation("fragmented ping", WireSocket.PING, false, true, new byte[0]),
                new Violation("ping over 125 bytes", WireSocket.PING, true, true, new byte[126])}) {
            try (WireSocket socket = connected()) {
                socket.send(violation.opcode, violation.fin, violation.masked, violation.payload.length, violation.payload);
                assertThat(closeCode(socket)).as(violation.what).isEqualTo(1002);
            }
        }
        try (WireSocket socket = connected()) {
            byte[] frame = WireSocket.frame(WireSocket.TEXT, true, true, ping.length, ping);
            frame[0] |= 0x40; // RSV1 without a negotiated extension
            socket.sendRaw(frame);
            assertThat(closeCode(socket)).as("reserved bit").isEqualTo(1002);
        }
    }

    @Test
    void aFrameDeclaredLargerThanTheLimitClosesWith1009BeforeItsBodyArrives() throws IOException {
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.TEXT, true, true, Long.MAX_VALUE, new byte[0]);
            assertThat(closeCode(socket)).isIn(1002, 1009);
        }
        try (WireSocket socket = connected()) {
            socket.send(WireSocket.TEXT, true, true, 10L * 1024 * 1024, new byte[0]);
            assertThat(closeCode(socket)).isEqualTo(1009);
        }
    }

    private WireSocket connected() throws IOException {
        AppConfig app = TestApps.create(apps);
        WireSocket socket = WireSocket.open("127.0.0.1", port, "/app/" + TestApps.key(app) + "?protocol=7", Duration.ofSeconds(5));
        socket.awaitText("pusher:connection_established");
        return socket;
    }

    /** The code of the server's close frame; fails the test when the server dropped the connection without one. */
    private static int closeCode(WireSocket socket) throws IOException {
        Frame close = socket.awaitClose();
        assertThat(close).as("the server answers with a close frame, not a bare TCP close").isNotNull();
        assertThat(close.closeCode()).as("close frame with a code").isNotNull();
        return close.closeCode();
    }
}
