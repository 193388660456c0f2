package dev.vask.server.http;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.pusher.client.PusherOptions;
import com.pusher.client.connection.ConnectionState;
import com.pusher.rest.Pusher;
import dev.vask.server.VaskApplication;
import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections that hold the server without sending a request, or stop sending a request's body, are
 * closed after the HTTP timeouts; a quiet WebSocket is not (Pusher's pings govern it).
 */
class HttpTimeoutTests {

    private static final String KEY = "timeout-app-key";
    private static final String SECRET = "timeout-app-secret-0123456789";
    private static ConfigurableApplicationContext vask;
    private static int port;

    @BeforeAll
    static void startWithShortTimeouts() {
        TestDatabase database = TestDatabase.create();
        vask = new SpringApplicationBuilder(VaskApplication.class).run("--server.port=0", "--vask.database-url=" + database.url(),
                "--vask.master-key=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", "--vask.bootstrap.app-id=6060",
                "--vask.bootstrap.app-key=" + KEY, "--vask.bootstrap.app-secret=" + SECRET,
                "--server.netty.idle-timeout=1s", "--vask.http.read-timeout=1s");
        port = ((WebServerApplicationContext) vask).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (vask != null) {
            vask.close();
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertThat(closedWithin(socket, Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aRequestWhoseBodyStopsArrivingIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /apps/6060/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(closedWithin(socket, Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aQuietWebSocketOutlivesTheHttpTimeouts() throws Exception {
        try (Subscriber subscriber = new Subscriber(KEY, new PusherOptions().setHost("127.0.0.1").setWsPort(port).setUseTLS(false))) {
            String socketId = subscriber.pusher().getConnection().getSocketId();
            subscriber.subscribe("quiet", "tick");
            Thread.sleep(3_000); // three idle timeouts without a frame either way
            Pusher backend = new Pusher("6060", KEY, SECRET);
            backend.setHost("127.0.0.1:" + port);
            backend.setEncrypted(false);
            assertThat(backend.trigger("quiet", "tick", Map.of("n", 1)).getHttpStatus()).isEqualTo(200);
            assertThat(subscriber.next().getData()).isEqualTo("{\"n\":1}");
            // the socket the server would have closed is gone for good: pusher-java-client reconnects within about a
            // second, under a new socket id, and says so with DISCONNECTED and CONNECTING after the first CONNECTED
            assertThat(subscriber.pusher().getConnection().getSocketId()).isEqualTo(socketId);
            assertThat(subscriber.states()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
            assertThat(subscriber.errors()).isEmpty();
            backend.close();
        }
    }

    /** Reads until the server closes (true) or the time is up (false), discarding any answer. */
    private static boolean closedWithin(Socket socket, Duration limit) throws Exception {
        socket.setSoTimeout((int) limit.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        }
        catch (SocketTimeoutException stillOpen) {
            return false;
        }
        catch (java.net.SocketException reset) {
            return true;
        }
        return false;
    }
}
