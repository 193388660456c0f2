package dev.vask.realtime.connection;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.protocol.PusherError;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeTestApplication;
import dev.vask.realtime.testing.TestApps;
import dev.vask.realtime.usage.UsageRecorder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that stops reading is closed with 4100 once its queue passes the bound; others are not slowed. */
@SpringBootTest(classes = {RealtimeTestApplication.class, SlowConsumerTests.Deliveries.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "vask.realtime.max-outbound-buffer=64KB")
class SlowConsumerTests {

    /** Counts the frames written to sockets: once the slow one is cut off, a publish reaches one socket, not two. */
    @Configuration(proxyBeanMethods = false)
    static class Deliveries implements UsageRecorder {

        final AtomicLong frames = new AtomicLong();

        @Override public void connectionOpened(AppId app, int openOnNode) { }
        @Override public void connectionClosed(AppId app, int openOnNode) { }
        @Override public void clientEvent(AppId app) { }
        @Override public void delivered(AppId app, int count) { frames.addAndGet(count); }
        @Override public void rejected(AppId app) { }
    }

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeEvents events;

    @Autowired
    Hub hub;

    @Autowired
    Deliveries deliveries;

    @Test
    void clientThatStopsReadingIsClosedWith4100AndAFastOneGetsEveryEvent() throws Exception {
        AppConfig app = TestApps.create(apps);
        RawSocket fast = RawSocket.connect(port, TestApps.key(app));
        fast.subscribed("firehose");
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            OutputStream out = slow.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(slow.getInputStream());
            out.write(("GET /app/" + TestApps.key(app) + "?protocol=7 HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(in)).startsWith("HTTP/1.1 101");
            out.write(maskedText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"firehose\"}}"));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriptionCount(app.id(), "firehose") == 2);

            // 4 KB events, while the slow socket reads nothing, until the server stops writing to it (a publish then
            // reaches one socket, not two) and queues its error and close frame instead; at most what the kernel can
            // buffer for it (its largest send buffer) and the 64 KB bound. Then at once to reading: the server drops
            // a socket that has not read its close frame within 2 s
            String payload = "x".repeat(4000);
            long flood = largestSocketSendBuffer() + 64 * 1024 + 256 * 1024;
            long framesBefore = deliveries.frames.get();
            int published = 0;
            while ((long) published * payload.length() < flood && deliveries.frames.get() - framesBefore == 2L * published) {
                for (int i = 0; i < 25; i++) {
                    events.trigger(app.id(), List.of(ChannelName.parse("firehose").orElseThrow()), "bulk", payload, null).block();
                    published++;
                }
                for (int i = 0; i < 25; i++) {
                    assertThat(fast.nextEvent("bulk").get("data").asString()).hasSize(4000);
                }
                for (LoopConnections loop : hub.loops.all()) {
                    loop.loop.submit(() -> null).get(5, java.util.concurrent.TimeUnit.SECONDS); // the deliveries queued before it ran
                }
            }

            // it reads again (within the 2 s the server gives a close frame to leave): what was queued before the
            // bound, then the reason, then the close frame, and nothing after it
            slow.setSoTimeout(5000);
            int bulk = 0;
            String error = null;
            Frame frame;
            while ((frame = Frame.read(in)).opcode() == 1) {
                String text = frame.text();
                if (text.startsWith("{\"event\":\"bulk\"")) {
                    assertThat(error).as("events after the error").isNull();
                    bulk++;
                }
                else if (text.contains("pusher:error")) {
                    error = text;
                }
            }
            assertThat(bulk).as("events the slow socket got before it was cut off").isPositive().isLessThan(published);
            assertThat(error).isEqualTo("{\"event\":\"pusher:error\",\"data\":{\"code\":4100,\"message\":\""
                    + PusherError.SLOW_CONSUMER.message() + "\"}}");
            assertThat(frame.opcode()).as("a close frame").isEqualTo(8);
            assertThat(frame.closeCode()).isEqualTo(4100);
            assertThat(frame.closeReason()).isEqualTo(PusherError.SLOW_CONSUMER.message());
            assertThat(in.read()).as("nothing after the close frame").isEqualTo(-1);
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.connectionCount(app.id()) == 1);
            // counted for the app's metrics, once
            assertThat(hub.traffic(app.id()).slowCloses()).isEqualTo(1);
        }
        // the fast socket was never slowed: it is still subscribed and gets what comes next
        events.trigger(app.id(), List.of(ChannelName.parse("firehose").orElseThrow()), "after", "{}", null).block();
        assertThat(fast.nextEvent("after").get("channel").asString()).isEqualTo("firehose");
        fast.close();
    }

    /** The most a socket's send buffer may grow to (Linux: the last figure of tcp_wmem); 16 MB where unknown. */
    private static long largestSocketSendBuffer() {
        try {
            String[] wmem = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(wmem[2]);
        }
        catch (IOException | RuntimeException notLinux) {
            return 16L << 20;
        }
    }

    /** One unmasked server frame (unfragmented: the server sends no others). */
    private record Frame(int opcode, byte[] payload) {

        static Frame read(InputStream in) throws IOException {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                throw new EOFException("the connection ended without a close frame");
            }
            long length = second & 0x7f;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            }
            else if (length == 127) {
                length = new DataInputStream(in).readLong();
            }
            return new Frame(first & 0x0f, in.readNBytes((int) length));
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** The HTTP response head of the upgrade, up to the blank line (frames follow it). */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = payload[i]; // mask key 0,0,0,0
        }
        return frame;
    }
}
