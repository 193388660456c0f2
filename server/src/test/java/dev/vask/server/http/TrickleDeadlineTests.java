package dev.vask.server.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.vask.server.VaskApplication;
import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.wire.WireSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that trickles a request, one byte at a time and each byte well inside the read timeout (the
 * idle timeout here is long), still loses its connection at the head's or the body's total deadline; a request sent at an
 * honest pace is untouched, and a WebSocket's frames never start the head's clock.
 */
class TrickleDeadlineTests {

    private static final String KEY = "trickle-app-key";
    private static final Duration BYTE_GAP = Duration.ofMillis(400);
    private static ConfigurableApplicationContext vask;
    private static int port;

    @BeforeAll
    static void startWithShortDeadlines() {
        TestDatabase database = TestDatabase.create();
        vask = new SpringApplicationBuilder(VaskApplication.class).run("--server.port=0", "--vask.database-url=" + database.url(),
                "--vask.master-key=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", "--vask.bootstrap.app-id=6070",
                "--vask.bootstrap.app-key=" + KEY, "--vask.bootstrap.app-secret=trickle-app-secret-0123456789",
                "--server.netty.idle-timeout=30s", "--vask.http.read-timeout=1s", "--vask.http.head-timeout=2s",
                "--vask.http.request-timeout=2s");
        port = ((WebServerApplicationContext) vask).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (vask != null) {
            vask.close();
        }
    }

    @Test
    void aHeadTrickledByteByByteIsCutAtItsDeadline() throws Exception {
        String head = "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(40) + "\r\n\r\n";
        long started = System.nanoTime();
        int sent = trickle(head.getBytes(StandardCharsets.US_ASCII));
        Duration held = Duration.ofNanos(System.nanoTime() - started);
        assertThat(sent).as("bytes accepted before the server closed").isLessThan(head.length());
        assertThat(held).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBodyTrickledByteByByteIsCutAtItsDeadline() throws Exception {
        // sign-in reads its body before anything else
        String head = "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) BYTE_GAP.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) {
                try {
                    out.write('x');
                    out.flush();
                }
                catch (SocketException reset) {
                    closed = true;
                }
                closed |= closedDuring(socket);
            }
            assertThat(closed).as("closed before the whole body arrived").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anHonestRequestAfterAPauseIsAnswered() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            Thread.sleep(500); // idle, but less than the idle timeout: the head's clock has not started
            socket.getOutputStream().write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] status = socket.getInputStream().readNBytes(12);
            assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        }
    }

    @Test
    void aWebSocketLivesPastTheHeadDeadlineAndStillAnswers() throws Exception {
        try (WireSocket socket = WireSocket.open("127.0.0.1", port, "/app/" + KEY + "?protocol=7", Duration.ofSeconds(5))) {
            socket.awaitText("pusher:connection_established");
            for (int i = 0; i < 4; i++) { // 3 s of frames every 750 ms: past the head (2 s) and read (1 s) deadlines
                Thread.sleep(750);
                socket.sendText("{\"event\":\"pusher:ping\",\"data\":{}}");
                assertThat(socket.awaitText("pusher:pong").text()).contains("pusher:pong");
            }
        }
    }

    /** Sends one byte every {@link #BYTE_GAP}; the number of bytes written before the server closed. */
    private static int trickle(byte[] bytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) BYTE_GAP.toMillis());
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < bytes.length; i++) {
                try {
                    out.write(bytes[i]);
                    out.flush();
                }
                catch (SocketException reset) {
                    return i;
                }
                if (closedDuring(socket)) {
                    return i + 1;
                }
            }
            return bytes.length;
        }
    }

    /** Waits one byte gap for the server: true if it closed the connection meanwhile. */
    private static boolean closedDuring(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        try {
            byte[] buffer = new byte[512];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        }
        catch (SocketTimeoutException open) {
            return false;
        }
        catch (SocketException reset) {
            return true;
        }
    }
}
