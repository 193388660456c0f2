package dev.vask.realtime.connection;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeTestApplication;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that stops reading is closed once its queue passes the bound; others are not slowed. */
@SpringBootTest(classes = RealtimeTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "vask.realtime.max-outbound-buffer=64KB")
class SlowConsumerTests {

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    RealtimeEvents events;

    @Autowired
    Hub hub;

    @Test
    void clientThatStopsReadingIsClosedAndAFastOneGetsEveryEvent() throws Exception {
        AppConfig app = TestApps.create(apps);
        RawSocket fast = RawSocket.connect(port, TestApps.key(app));
        fast.subscribed("firehose");
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write(("GET /app/" + TestApps.key(app) + "?protocol=7 HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = new byte[256];
            assertThat(new String(head, 0, in.read(head), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
            out.write(maskedText("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"firehose\"}}"));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriptionCount(app.id(), "firehose") == 2);

            // 16 MB in 4 KB events: far more than the kernel buffers plus the 64 KB bound. Once over the
            // bound the socket stops queuing, gets its close frame, and is closed (at most 2 s later if it
            // never reads again)
            String payload = "x".repeat(4000);
            for (int batch = 0; batch < 40; batch++) {
                for (int i = 0; i < 100; i++) {
                    events.trigger(app.id(), List.of(ChannelName.parse("firehose").orElseThrow()), "bulk", payload, null).block();
                }
                for (int i = 0; i < 100; i++) {
                    assertThat(fast.nextEvent("bulk").get("data").asString()).hasSize(4000);
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.connectionCount(app.id()) == 1);
        }
        fast.close();
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
