package dev.vask.server.http;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.pusher.client.PusherOptions;
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
    private static ConfigurableApplicationContext vask;
    private static int port;

    @BeforeAll
    static void startWithShortTimeouts() {
        TestDatabase database = TestDatabase.create();
        vask = new SpringApplicationBuilder(VaskApplication.class).run("--server.port=0", "--vask.database-url=" + database.url(),
                "--vask.master-key=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", "--vask.bootstrap.app-id=6060",
                "--vask.bootstrap.app-key=" + KEY, "--vask.bootstrap.app-secret=timeout-app-secret-0123456789",
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
            subscriber.subscribe("quiet", "tick");
            Thread.sleep(3_000); // three idle timeouts without a frame either way
            assertThat(subscriber.pusher().getConnection().getState()).isEqualTo(com.pusher.client.connection.ConnectionState.CONNECTED);
            assertThat(subscriber.errors()).isEmpty();
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
