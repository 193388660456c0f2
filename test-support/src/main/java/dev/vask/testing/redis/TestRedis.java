package dev.vask.testing.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The Redis the tests of a JVM share, chosen once, like the database ({@code TestDatabaseServer}):
 * <ol>
 *   <li>Testcontainers' {@code redis:7-alpine} when a Docker engine answers;</li>
 *   <li>otherwise the server at {@code VASK_TEST_REDIS_URL} (or the system property {@code vask.test.redis-url});</li>
 *   <li>otherwise a {@code redis-server} from the PATH, started on a free port ({@link RedisServerProcess}).</li>
 * </ol>
 * Without any of them the tests fail, saying what to install; none is ever skipped. The fixture logs which
 * one it chose. Tests keep apart by giving each Spring context its own key prefix ({@link #newPrefix()}):
 * every key and pub/sub topic of Vask starts with it.
 */
public final class TestRedis {

    static final String MISSING = "The cluster tests need Redis 7 and found none: no Docker engine, no VASK_TEST_REDIS_URL, "
            + "and no redis-server on the PATH. Install it (Debian/Ubuntu: apt-get install -y redis-server) or set "
            + "VASK_TEST_REDIS_URL=redis://host:port.";

    private static final Logger log = LoggerFactory.getLogger(TestRedis.class);

    public enum Kind { TESTCONTAINERS, URL, LOCAL_BINARY }

    private static @Nullable TestRedis shared;

    private final Kind kind;
    private final String url;

    private TestRedis(Kind kind, String url) {
        this.kind = kind;
        this.url = url;
    }

    public static synchronized TestRedis shared() {
        if (shared == null) {
            shared = choose();
        }
        return shared;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code redis://host:port}, as operators give Vask in {@code VASK_REDIS_URL}. */
    public String url() {
        return url;
    }

    /** A key prefix no other test context uses. */
    public static String newPrefix() {
        return "vask-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** Sends one command in Redis's inline form to the shared server; returns the first line of the answer. */
    public String command(String inline) {
        URI uri = URI.create(url);
        return command(uri.getHost(), uri.getPort(), inline);
    }

    private static TestRedis choose() {
        if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            container.start();
            String url = "redis://" + container.getHost() + ":" + container.getFirstMappedPort();
            log.info("Test Redis: Testcontainers redis:7-alpine at {}", url);
            return new TestRedis(Kind.TESTCONTAINERS, url);
        }
        String configured = configuredUrl();
        if (configured != null) {
            log.info("Test Redis: no Docker engine; using VASK_TEST_REDIS_URL {}", configured);
            return new TestRedis(Kind.URL, configured);
        }
        if (!RedisServerProcess.binaryAvailable()) {
            throw new IllegalStateException(MISSING);
        }
        RedisServerProcess server = RedisServerProcess.launch();
        log.info("Test Redis: no Docker engine and no VASK_TEST_REDIS_URL; started redis-server from the PATH on port {}", server.port());
        return new TestRedis(Kind.LOCAL_BINARY, server.url());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    private static @Nullable String configuredUrl() {
        String url = System.getProperty("vask.test.redis-url");
        if (url == null || url.isBlank()) {
            url = System.getenv("VASK_TEST_REDIS_URL");
        }
        return url == null || url.isBlank() ? null : url.trim();
    }

    static String command(String host, int port, String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first != null && first.startsWith("$")) {
                int length = Integer.parseInt(first.substring(1));
                if (length < 0) {
                    return "";
                }
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    int n = in.read(body, read, length - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                return new String(body, 0, read);
            }
            return first == null ? "" : first;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Redis at " + host + ":" + port + " did not answer " + inline, e);
        }
    }
}
