package dev.vask.server.fuzz;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vask.realtime.auth.SignatureVerifier;
import dev.vask.testing.wire.WireSocket;
import dev.vask.testing.wire.WireSocket.Frame;
import net.jqwik.api.Arbitraries;
import org.jspecify.annotations.Nullable;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sequences of generated WebSocket frames on one connection: Pusher messages good, near-good and bad,
 * random JSON and bytes, text that is not UTF-8, fragments, control frames, unmasked frames, reserved
 * opcodes and bits, and lengths that lie. After each sequence the server must either answer a
 * {@code pusher:ping} or have closed with a close frame whose code may be sent, within the timeout.
 */
@AddLifecycleHook(FuzzBudget.class)
class WebSocketFuzzTests {

    /** Close codes Vask may send: normal, protocol error, invalid data, too big, and Pusher's 4000-4999. */
    private static final Set<Integer> CODES_VASK_MAY_SEND = Set.of(1000, 1001, 1002, 1007, 1009, 1011);
    private static final AtomicLong FRAMES = new AtomicLong();
    private static final AtomicLong SEQUENCES = new AtomicLong();
    private static final Pattern SOCKET_ID = Pattern.compile("socket_id[^0-9]*([0-9]+\\.[0-9]+)");

    private final FuzzedVask vask = FuzzedVask.get();

    /** One frame (or a few, for a fragmented message) as bytes on the wire; {@code terminal} ones end what the server reads. */
    record Send(String kind, byte[] wire, boolean terminal, @Nullable Function<String, String> signedFor) {

        Send(String kind, byte[] wire, boolean terminal) {
            this(kind, wire, terminal, null);
        }

        static Send text(String kind, String text) {
            return frame(kind, WireSocket.TEXT, true, true, text.getBytes(StandardCharsets.UTF_8), false);
        }

        /** A message whose signatures are made for the socket id the server gives the connection. */
        static Send signed(String kind, Function<String, String> textForSocket) {
            return new Send(kind, new byte[0], false, textForSocket);
        }

        static Send frame(String kind, int opcode, boolean fin, boolean masked, byte[] payload, boolean terminal) {
            return new Send(kind, WireSocket.frame(opcode, fin, masked, payload.length, payload), terminal);
        }

        static Send declared(String kind, int opcode, long declaredLength) {
            return new Send(kind, WireSocket.frame(opcode, true, true, declaredLength, new byte[0]), true);
        }

        byte[] wireFor(String socketId) {
            if (signedFor == null) {
                return wire;
            }
            byte[] text = signedFor.apply(socketId).getBytes(StandardCharsets.UTF_8);
            return WireSocket.frame(WireSocket.TEXT, true, true, text.length, text);
        }

        @Override
        public String toString() {
            if (signedFor != null) {
                String text = signedFor.apply("1.1");
                return kind + ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
            }
            return kind + " (" + wire.length + " bytes: " + java.util.HexFormat.of().formatHex(wire, 0, Math.min(wire.length, 300)) + ")";
        }
    }

    @Property(tries = 8_000, seed = "1206", shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void anyFrameSequenceIsAnsweredOrClosedWithAValidCode(@ForAll("sequences") List<Send> sequence) throws IOException {
        SEQUENCES.incrementAndGet();
        try (WireSocket socket = WireSocket.open("127.0.0.1", vask.port, "/app/" + FuzzedVask.KEY + "?protocol=7", vask.timeout())) {
            Matcher established = SOCKET_ID.matcher(socket.awaitText("pusher:connection_established").text());
            assertThat(established.find()).isTrue();
            String socketId = established.group(1);
            boolean ended = false;
            for (Send send : sequence) {
                FRAMES.incrementAndGet();
                Statistics.label("frame kind").collect(send.kind);
                try {
                    socket.sendRaw(send.wireFor(socketId));
                }
                catch (SocketException closedMeanwhile) {
                    ended = true;
                    break;
                }
                if (send.terminal) {
                    ended = true;
                    break;
                }
            }
            if (!ended) {
                try {
                    socket.sendText("{\"event\":\"pusher:ping\",\"data\":{}}");
                }
                catch (SocketException closedMeanwhile) {
                    // the server closed on something earlier: read how it closed below
                }
            }
            Send last = sequence.getLast();
            boolean sentClose = last.kind.equals("close");
            // a client's close frame (6 bytes of header and mask, then the code at 6-7) is echoed with its own code
            Integer echo = sentClose && last.wire.length >= 8 ? (last.wire[6] ^ last.wire[2]) << 8 & 0xff00 | (last.wire[7] ^ last.wire[3]) & 0xff : null;
            Statistics.label("outcome").collect(outcome(socket, ended, sentClose && echo == null, echo));
        }
        vask.assertNoErrorLogged();
    }

    /** Reads until a pong, a close frame (whose code must be one Vask may send), or the end; a timeout is a hang. */
    private static String outcome(WireSocket socket, boolean expectClose, boolean sentEmptyClose, @Nullable Integer sentCode) throws IOException {
        List<String> received = new ArrayList<>();
        try {
            while (true) {
                Frame frame = socket.next();
                received.add(frame.opcode() == WireSocket.TEXT ? frame.text() : "opcode " + frame.opcode() + " (" + frame.payload().length + " bytes)");
                if (frame.opcode() == WireSocket.CLOSE) {
                    Integer code = frame.closeCode();
                    if (code == null) {
                        assertThat(sentEmptyClose).as("a close frame without a code answers only a close without one").isTrue();
                        return "closed, echoing an empty close";
                    }
                    if (code.equals(sentCode)) {
                        return "closed, echoing the client's code";
                    }
                    assertThat(CODES_VASK_MAY_SEND.contains(code) || code >= 4000 && code <= 4999)
                            .as("close code %d (%s) is one Vask may send", code, frame.closeReason()).isTrue();
                    return "closed " + code;
                }
                if (!expectClose && frame.opcode() == WireSocket.TEXT && frame.text().contains("\"pusher:pong\"")) {
                    return "answered";
                }
            }
        }
        catch (EOFException | SocketException ended) {
            // our own close frame may be answered by a close frame we did not wait for, or the server may have
            // closed after a frame sent with a lie in its length; a bare close after a live connection is not fine
            assertThat(expectClose).as("the server ended the connection (%s) without a close frame, after sending %s", ended, received).isTrue();
            return "ended after a terminal frame";
        }
        catch (SocketTimeoutException hang) {
            throw new AssertionError("no answer to pusher:ping and no close within " + "the timeout: a hang", hang);
        }
    }

    @Provide
    Arbitrary<List<Send>> sequences() {
        return frame().list().ofMinSize(2).ofMaxSize(12).map(frames -> {
            // nothing after a frame that ends the conversation would be read
            List<Send> upToTerminal = new ArrayList<>();
            for (Send send : frames) {
                upToTerminal.add(send);
                if (send.terminal) {
                    break;
                }
            }
            return upToTerminal;
        });
    }

    private Arbitrary<Send> frame() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, pusherMessage().map(render -> Send.signed("pusher message", render))),
                Tuple.of(4, JsonJunk.mutated(pusherText()).map(text -> Send.text("near-valid message", text))),
                Tuple.of(2, JsonJunk.value(List.of("event", "data", "channel", "auth", "channel_data", "user_data"), 3)
                        .map(text -> Send.text("random json", text))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
                        .map(bytes -> Send.frame("random bytes as text", WireSocket.TEXT, true, true, bytes, false))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
                        .map(bytes -> Send.frame("binary", WireSocket.BINARY, true, true, bytes, false))),
                Tuple.of(2, control()),
                Tuple.of(2, fragmented()),
                Tuple.of(1, violation()));
    }

    /** A Pusher message as text, signed for a socket id that is not the connection's (so its signatures fail). */
    private Arbitrary<String> pusherText() {
        return pusherMessage().map(render -> render.apply("1.1"));
    }

    /** Pusher messages, good and bad, whose signatures (when meant to be good) are made for the connection's socket id. */
    private Arbitrary<Function<String, String>> pusherMessage() {
        Arbitrary<String> channel = Arbitraries.of("public", "private-fuzz", "presence-fuzz", "private-encrypted-fuzz", "cache-fuzz",
                "#server-to-user-ada", "bad name", "", "x".repeat(200), "private-" + "\u00e9", "presence-cache-fuzz");
        Arbitrary<String> data = JsonJunk.value(List.of("user_id", "user_info", "id", "watchlist", "x"), 2);
        Arbitrary<String> channelData = Arbitraries.oneOf(data, Arbitraries.of("{\"user_id\":\"ada\",\"user_info\":{\"name\":\"Ada\"}}",
                "{\"user_id\":42}", "{\"user_id\":\"bob\"}", "{\"user_id\":\"" + "u".repeat(300) + "\"}"));
        Arbitrary<String> userData = Arbitraries.oneOf(JsonJunk.value(List.of("id", "user_info", "watchlist"), 2),
                Arbitraries.of("{\"id\":\"ada\",\"user_info\":{\"name\":\"Ada\"},\"watchlist\":[\"bob\",\"cy\"]}", "{\"id\":\"bob\"}",
                        "{\"id\":\"bad id\"}", "{\"id\":\"\"}", "{\"id\":\"ada\",\"watchlist\":" + "[\"w\",".repeat(50) + "\"w\"" + "]".repeat(50) + "}"));
        Arbitrary<Function<String, String>> subscribe = Combinators.combine(channel, Arbitraries.of(true, true, false), channelData)
                .as((name, signed, presence) -> socketId -> {
                    String toSign = socketId + ":" + name + (name.startsWith("presence-") ? ":" + presence : "");
                    String auth = signed ? FuzzedVask.KEY + ":" + SignatureVerifier.hmacHex(FuzzedVask.SECRET, toSign) : "fuzz:bad";
                    return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":" + JsonJunk.quote(name) + ",\"auth\":" + JsonJunk.quote(auth)
                            + ",\"channel_data\":" + JsonJunk.quote(presence) + "}}";
                });
        Arbitrary<Function<String, String>> clientEvent = Combinators.combine(Arbitraries.of("client-x", "client-", "pusher:x",
                "pusher_internal:member_added", "client-" + "e".repeat(300)), channel, data)
                .as((event, name, payload) -> socketId -> "{\"event\":" + JsonJunk.quote(event) + ",\"channel\":" + JsonJunk.quote(name)
                        + ",\"data\":" + payload + "}");
        Arbitrary<Function<String, String>> signin = Combinators.combine(userData, Arbitraries.of(true, true, false))
                .as((user, signed) -> socketId -> "{\"event\":\"pusher:signin\",\"data\":{\"auth\":"
                        + JsonJunk.quote(signed ? FuzzedVask.KEY + ":" + SignatureVerifier.hmacHex(FuzzedVask.SECRET, socketId + "::user::" + user) : "k:v")
                        + ",\"user_data\":" + JsonJunk.quote(user) + "}}");
        Arbitrary<Function<String, String>> simple = Combinators.combine(Arbitraries.of("pusher:ping", "pusher:pong", "pusher:unsubscribe",
                "pusher:whatever", "pusher:subscribe", "pusher:signin", "", "x"), data)
                .as((event, payload) -> socketId -> "{\"event\":" + JsonJunk.quote(event) + ",\"data\":" + payload + "}");
        Arbitrary<Function<String, String>> unsubscribe = channel.map(name -> socketId -> "{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":"
                + JsonJunk.quote(name) + "}}");
        return Arbitraries.frequencyOf(Tuple.of(4, subscribe), Tuple.of(3, clientEvent), Tuple.of(1, signin), Tuple.of(1, simple),
                Tuple.of(1, unsubscribe));
    }

    private Arbitrary<Send> control() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(125);
        Arbitrary<Send> ping = small.map(p -> Send.frame("ping", WireSocket.PING, true, true, p, false));
        Arbitrary<Send> pong = small.map(p -> Send.frame("pong", WireSocket.PONG, true, true, p, false));
        Arbitrary<Send> close = Combinators.combine(Arbitraries.integers().between(0, 65535), Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of(true, false)).as((code, reason, withBody) -> {
                    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
                    byte[] body = new byte[withBody ? 2 + Math.min(text.length, 123) : 0];
                    if (withBody) {
                        body[0] = (byte) (code >>> 8);
                        body[1] = (byte) (int) code;
                        System.arraycopy(text, 0, body, 2, body.length - 2);
                    }
                    return Send.frame("close", WireSocket.CLOSE, true, true, body, true);
                });
        return Arbitraries.frequencyOf(Tuple.of(3, ping), Tuple.of(2, pong), Tuple.of(1, close));
    }

    /** A message in 2 to 4 fragments; the cut may fall inside a multi-byte character, and a ping may come between. */
    private Arbitrary<Send> fragmented() {
        return Combinators.combine(pusherText(), Arbitraries.integers().between(1, 1000), Arbitraries.of(true, false))
                .as((text, at, pingBetween) -> {
                    byte[] bytes = (text + "\u00e9\u20ac").getBytes(StandardCharsets.UTF_8);
                    int cut = 1 + at % Math.max(1, bytes.length - 1);
                    byte[] first = java.util.Arrays.copyOf(bytes, cut);
                    byte[] rest = java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
                    byte[] wire = concat(WireSocket.frame(WireSocket.TEXT, false, true, first.length, first),
                            pingBetween ? WireSocket.frame(WireSocket.PING, true, true, 0, new byte[0]) : new byte[0],
                            WireSocket.frame(WireSocket.CONTINUATION, true, true, rest.length, rest));
                    return new Send("fragmented", wire, false);
                });
    }

    /** Frames a client may not send: each ends the connection (1002, or 1009 for a length past the limit). */
    private Arbitrary<Send> violation() {
        byte[] ping = "{\"event\":\"pusher:ping\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] reservedBit = WireSocket.frame(WireSocket.TEXT, true, true, ping.length, ping);
        reservedBit[0] |= 0x40;
        return Arbitraries.of(
                Send.frame("unmasked", WireSocket.TEXT, true, false, ping, true),
                Send.frame("reserved opcode", 0x3, true, true, ping, true),
                Send.frame("reserved control opcode", 0xC, true, true, new byte[0], true),
                Send.frame("stray continuation", WireSocket.CONTINUATION, true, true, ping, true),
                Send.frame("fragmented control", WireSocket.PING, false, true, new byte[0], true),
                Send.frame("long control", WireSocket.PING, true, true, new byte[200], true),
                new Send("reserved bit", reservedBit, true),
                Send.declared("declared too large", WireSocket.TEXT, 64L * 1024 * 1024),
                Send.declared("declared 2^63-1", WireSocket.BINARY, Long.MAX_VALUE),
                Send.frame("not UTF-8", WireSocket.TEXT, true, true, new byte[] {'"', (byte) 0xC3, 0x28, '"'}, true));
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @AfterContainer
    static void oraclesAfterTheWholeRun() throws Exception {
        FuzzedVask vask = FuzzedVask.get();
        System.out.println("WebSocket fuzz: " + SEQUENCES.get() + " connections, " + FRAMES.get() + " generated frames");
        assertThat(FRAMES.get()).isGreaterThanOrEqualTo((long) FuzzedVask.tries(40_000));
        vask.assertNoLeak();
        vask.assertStillServesANormalClient("after-websocket-fuzz");
    }
}
