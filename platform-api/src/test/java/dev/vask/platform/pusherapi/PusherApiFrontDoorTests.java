package dev.vask.platform.pusherapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.frontdoor.PusherApiFrontDoor;
import dev.vask.testing.database.TestDatabase;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.vask.platform.PlatformTestDatabase.APP_KEY;
import static dev.vask.platform.PlatformTestDatabase.APP_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publish routes are served by the front door on bare Netty, ahead of WebFlux ({@code PusherApiFrontDoor}); these
 * tests prove that it takes them (and only them), that its answers look like WebFlux's (security headers, request
 * metrics), that answers leave in request order on a connection both roads serve, and that its own body deadlines hold.
 */
@SpringBootTest(classes = PlatformTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vask.http.read-timeout=1s", "vask.http.request-timeout=3s", "server.netty.idle-timeout=2s"})
class PusherApiFrontDoorTests {

    private static final String EVENT = "{\"name\":\"e\",\"channel\":\"door\",\"data\":\"{}\"}";
    private static final Set<String> FRAMING = Set.of("content-length", "content-type", "connection", "transfer-encoding", "date", "keep-alive");
    static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    PusherApiFrontDoor door;

    @Autowired
    MeterRegistry meters;

    @Test
    void aPublishIsAnsweredByTheFrontDoorAndAnEncodedPathByWebFlux() {
        long before = door.answered();
        assertThat(post("/apps/4242/events", EVENT).status()).isEqualTo(200);
        assertThat(post("/apps/4242/batch_events", "{\"batch\":[" + EVENT + "]}").status()).isEqualTo(200);
        assertThat(door.answered()).isEqualTo(before + 2);

        SignedRequests.Response encoded = new SignedRequests(port).raw("POST", "/apps/42%2F42/events", EVENT, "application/json");
        assertThat(encoded.status()).isEqualTo(400);
        assertThat(door.answered()).as("the firewall's refusal comes from WebFlux's road").isEqualTo(before + 2);
    }

    @Test
    void theFrontDoorWritesTheHeadersThePusherApiChainWrites() {
        SignedRequests.Response door = post("/apps/4242/events", EVENT);
        // no route matches a DELETE: WebFlux answers through the Pusher API's security chain
        SignedRequests.Response webFlux = new SignedRequests(port).raw("DELETE", "/apps/4242/events", "", "application/json");
        assertThat(webFlux.status()).isEqualTo(404);
        assertThat(headers(door)).isEqualTo(headers(webFlux)).isNotEmpty();
        assertThat(door.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void aPublishIsTimedUnderTheTagsWebFluxGivesItsRoutes() {
        assertThat(post("/apps/4242/events", EVENT).status()).isEqualTo(200);
        assertThat(new SignedRequests(port).send("GET", "/apps/4242/channels", Map.of(), "", APP_KEY, APP_SECRET).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(tagNames("/apps/{app}/channels")).isNotEmpty();
            assertThat(tagNames("/apps/{app}/events")).isEqualTo(tagNames("/apps/{app}/channels"));
        });
    }

    @Test
    void pipelinedRequestsToBothRoadsAreAnsweredInOrder() throws Exception {
        String first = request("POST", "/apps/4242/events", Map.of(),
                "{\"name\":\"e\",\"channel\":\"pipe-a\",\"data\":\"1\",\"info\":\"subscription_count\"}");
        String second = request("GET", "/apps/4242/channels/pipe-b", Map.of(), "");
        String third = request("POST", "/apps/4242/events", Map.of(), EVENT);
        long before = door.answered();
        try (Socket socket = socket()) {
            write(socket, first + second + third);
            assertThat(readResponse(socket).body()).isEqualTo("{\"channels\":{\"pipe-a\":{\"subscription_count\":0}}}");
            assertThat(readResponse(socket).body()).contains("\"occupied\":false");
            assertThat(readResponse(socket).body()).isEqualTo("{}");
        }
        assertThat(door.answered()).isGreaterThanOrEqualTo(before + 1);
    }

    @Test
    void oneConnectionCarriesPublishesOneAfterAnotherUntilTheClientClosesIt() throws Exception {
        try (Socket socket = socket()) {
            for (int i = 0; i < 3; i++) {
                write(socket, request("POST", "/apps/4242/events", Map.of(), EVENT));
                RawResponse response = readResponse(socket);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.headers()).doesNotContainEntry("connection", "close");
            }
            write(socket, request("POST", "/apps/4242/events", Map.of(), EVENT).replace("Host: localhost\r\n", "Host: localhost\r\nConnection: close\r\n"));
            RawResponse last = readResponse(socket);
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.headers()).containsEntry("connection", "close");
            assertThat(socket.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
        }
    }

    @Test
    void aConnectionLeftIdleAfterAPublishIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = socket()) {
            write(socket, request("POST", "/apps/4242/events", Map.of(), EVENT));
            assertThat(readResponse(socket).status()).isEqualTo(200);
            long answered = System.nanoTime();
            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
        }
    }

    @Test
    void aSignedPublishWhoseBodyStopsArrivingGets408AndIsClosed() throws Exception {
        String whole = request("POST", "/apps/4242/events", Map.of(), EVENT);
        try (Socket socket = socket()) {
            long started = System.nanoTime();
            write(socket, whole.substring(0, whole.length() - 5)); // the head and most of the body
            RawResponse response = readResponse(socket);
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).contains("stopped arriving");
            assertThat(response.headers()).containsEntry("connection", "close");
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aBodyOverTheAppsLimitIsRefusedWithoutBeingRead() throws Exception {
        int tooLong = 64 * 1024 * 1024;
        String head = request("POST", "/apps/4242/events", Map.of(), EVENT).replaceFirst("Content-Length: \\d+", "Content-Length: " + tooLong);
        String signedHead = head.substring(0, head.indexOf("\r\n\r\n") + 4);
        try (Socket socket = socket()) {
            write(socket, signedHead);
            RawResponse response = readResponse(socket);
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.headers()).containsEntry("connection", "close");
        }
    }

    private SignedRequests.Response post(String path, String body) {
        return new SignedRequests(port).send("POST", path, Map.of(), body, APP_KEY, APP_SECRET);
    }

    private Set<String> tagNames(String uri) {
        List<Meter> found = meters.find("http.server.requests").tag("uri", uri).meters().stream().toList();
        return found.stream().flatMap(meter -> meter.getId().getTags().stream()).map(Tag::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> headers(SignedRequests.Response response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!FRAMING.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        return headers;
    }

    private static String request(String method, String path, Map<String, String> params, String body) {
        String target = SignedRequests.signedPathAndQuery(method, path, params, body, APP_KEY, APP_SECRET);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + (bytes.length > 0 ? "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n" : "")
                + "\r\n" + body;
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {
    }

    private static RawResponse readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed in the middle of a response: " + out);
            }
            if (b != '\r') {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
