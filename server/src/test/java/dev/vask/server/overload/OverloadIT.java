package dev.vask.server.overload;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.pusher.rest.Pusher;
import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar run into the ground the way an undersized deployment would be: a small heap ({@code -Xmx128m})
 * and a low open-file limit ({@code ulimit -n 1024}, soft and hard, so the JVM cannot raise it), on one CPU
 * ({@code taskset -c 0}, where it must run a single event loop). Driven past its file
 * descriptors with idle sockets, then past its heap with sockets holding presence subscriptions of a kilobyte each,
 * it refuses: new sockets with 4100, new subscriptions with 503 errors, publishes with 503 and {@code Retry-After}.
 * It never throws {@link OutOfMemoryError}, keeps the socket that was there before the storm, and once the load
 * drops a fresh socket subscribes and receives an event published after the drop.
 */
class OverloadIT {

    private static final String APP_ID = "7171";
    private static final String KEY = "overload-app-key";
    private static final String SECRET = "overload-app-secret-0123456789";
    /** A fixed test master key (32 bytes of 0x01..0x20), never used outside tests. */
    private static final String MASTER_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    private static final String METRICS_TOKEN = "overload-metrics-token-5b7c9d1e";
    private static final int FILE_LIMIT = 1024;
    /** The most user_info Vask takes per member (1 KB), less room for its JSON. */
    private static final String USER_INFO_PADDING = "x".repeat(960);

    /** Clients arriving together: enough to keep the server busy while one waits for its answer. */
    private static final int BATCH = 8;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(BATCH);
    private final java.util.concurrent.atomic.AtomicInteger heavySockets = new java.util.concurrent.atomic.AtomicInteger();
    private int port;

    @Test
    void pastItsFileLimitAndItsHeapTheJarRefusesNewWorkNeverFallsOverAndServesAgainOnceTheLoadDrops(@TempDir Path dir) throws Exception {
        port = freePort();
        Path log = dir.resolve("vask.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = System.getProperty("vask.server.jar");
        // ulimit -n sets the soft and the hard limit: the JVM raises its soft limit to the hard one at start, not past it.
        // On one CPU (taskset), as a container with a one-CPU quota: the server must size its event loops to it
        boolean oneCpu = Files.isExecutable(Path.of("/usr/bin/taskset"));
        String start = (oneCpu ? "exec taskset -c 0 " : "exec ") + "\"$0\" -Xmx128m -jar \"$1\"";
        ProcessBuilder command = new ProcessBuilder("bash", "-c", "ulimit -n " + FILE_LIMIT + " && " + start, java, jar)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // the database runs outside the process under test (and off its one CPU): only Vask's own files count
        TestDatabase database = TestDatabase.create();
        command.environment().put("VASK_DATABASE_URL", database.url());
        command.environment().put("VASK_MASTER_KEY", MASTER_KEY);
        command.environment().put("VASK_PORT", Integer.toString(port));
        command.environment().put("VASK_BOOTSTRAP_APP_ID", APP_ID);
        command.environment().put("VASK_BOOTSTRAP_APP_KEY", KEY);
        command.environment().put("VASK_BOOTSTRAP_APP_SECRET", SECRET);
        command.environment().put("VASK_METRICS_TOKEN", METRICS_TOKEN);
        Process vask = command.start();
        List<LoadSocket> load = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(vask.isAlive()).as("Vask exited:\n%s", Files.readString(log)).isTrue();
                return Files.readString(log).contains("Vask is ready.");
            });

            if (oneCpu) {
                assertThat(get("/actuator/prometheus").body()).as("one event loop on one CPU").contains("vask_capacity_event_loops 1.0");
            }

            LoadSocket keeper = LoadSocket.open(http, port, KEY);
            assertThat(keeper.established()).isTrue();
            keeper.send(subscribe("keeper"));
            keeper.nextEvent("pusher_internal:subscription_succeeded");

            long started = System.nanoTime();
            // 1. past the file limit: idle sockets until new ones are refused for want of file descriptors
            int refusedForFiles = 0;
            for (int tried = 0; tried < 2 * FILE_LIMIT && refusedForFiles < 10; tried += BATCH) {
                for (Attempt attempt : inParallel(this::attempt)) {
                    if (attempt.socket() != null) {
                        load.add(attempt.socket());
                    }
                    else if (attempt.refusal() != null) {
                        assertThat(attempt.refusal()).contains("file descriptors");
                        refusedForFiles++;
                    }
                }
            }
            assertThat(refusedForFiles).as("sockets refused with 4100 for file descriptors, after %d accepted", load.size())
                    .isGreaterThanOrEqualTo(10);
            assertThat(load.size()).as("sockets accepted before the refusals").isGreaterThan(FILE_LIMIT / 2);
            assertPublishRefused("file_descriptors");
            assertStillAnswers(keeper);
            System.out.printf("overload: %d idle sockets accepted, then refused for file descriptors (%d s)%n", load.size(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());

            drop(load);
            awaitAccepting();

            // 2. past the heap: sockets holding a hundred presence channels of a kilobyte each
            int refusedForHeap = 0;
            int subscriptionsRefused = 0;
            int subscribed = 0;
            for (int tried = 0; tried < 2 * FILE_LIMIT && refusedForHeap < 5; tried += BATCH) {
                for (Heavy heavy : inParallel(this::heavySocket)) {
                    if (heavy.attempt().refusal() != null) {
                        assertThat(heavy.attempt().refusal()).contains("heap");
                        refusedForHeap++;
                    }
                    else if (heavy.attempt().socket() != null) {
                        load.add(heavy.attempt().socket());
                        subscribed += heavy.subscribed();
                        subscriptionsRefused += heavy.refused();
                    }
                }
            }
            assertThat(refusedForHeap).as("sockets refused with 4100 for heap, after %d sockets held %d presence subscriptions",
                    load.size(), subscribed).isGreaterThanOrEqualTo(5);
            assertThat(subscribed).as("presence subscriptions held before the heap ran short").isGreaterThan(1000);
            assertPublishRefused("heap");
            assertStillAnswers(keeper);
            assertThat(vask.isAlive()).isTrue();

            String metrics = get("/actuator/prometheus").body();
            assertThat(metrics).containsPattern("vask_capacity_refusals_total\\{resource=\"file_descriptors\",surface=\"websocket\"} [1-9]")
                    .containsPattern("vask_capacity_refusals_total\\{resource=\"heap\",surface=\"websocket\"} [1-9]")
                    .containsPattern("vask_capacity_refusals_total\\{resource=\"heap\",surface=\"publish\"} [1-9]");
            System.out.printf("overload: %d sockets held %d presence subscriptions, %d more refused, before new sockets were refused for heap"
                    + " (%d s since the first socket)%n", load.size(), subscribed, subscriptionsRefused, Duration.ofNanos(System.nanoTime() - started).toSeconds());

            // 3. the load drops: a fresh socket is served as if nothing had happened, and the keeper is still there
            drop(load);
            LoadSocket fresh = awaitAccepting();
            fresh.send(subscribe("after-the-storm"));
            fresh.nextEvent("pusher_internal:subscription_succeeded");
            Pusher backend = new Pusher(APP_ID, KEY, SECRET);
            backend.setHost("127.0.0.1:" + port);
            backend.setEncrypted(false);
            assertThat(backend.trigger(List.of("after-the-storm", "keeper"), "sentinel", Map.of("ok", true)).getHttpStatus()).isEqualTo(200);
            backend.close();
            assertThat(fresh.nextEvent("sentinel").get("channel").asString()).isEqualTo("after-the-storm");
            assertThat(keeper.nextEvent("sentinel").get("channel").asString()).isEqualTo("keeper");
            fresh.abort();
            keeper.abort();
            assertThat(vask.isAlive()).isTrue();
        }
        finally {
            clients.shutdownNow();
            drop(load);
            vask.destroy();
            if (!vask.waitFor(60, TimeUnit.SECONDS)) {
                vask.destroyForcibly();
            }
        }
        String output = Files.readString(log);
        assertThat(output).doesNotContain("OutOfMemoryError")
                .contains("Over capacity (file_descriptors")
                .contains("Over capacity (heap")
                .contains("Back under capacity");
    }

    /** Runs {@link #BATCH} of the task at once (a few clients arriving together) and returns what each gave. */
    private <T> List<T> inParallel(java.util.concurrent.Callable<T> task) throws Exception {
        List<java.util.concurrent.Future<T>> running = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            running.add(clients.submit(task));
        }
        List<T> results = new ArrayList<>();
        for (java.util.concurrent.Future<T> result : running) {
            try {
                results.add(result.get(120, TimeUnit.SECONDS));
            }
            catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return results;
    }

    /** A new socket that, once accepted, subscribes to a hundred presence channels with a kilobyte of user_info each. */
    private record Heavy(Attempt attempt, int subscribed, int refused) {
    }

    private Heavy heavySocket() throws Exception {
        Attempt attempt = attempt();
        if (attempt.socket() == null) {
            return new Heavy(attempt, 0, 0);
        }
        LoadSocket socket = attempt.socket();
        int index = heavySockets.incrementAndGet();
        for (int c = 0; c < 100; c++) {
            socket.send(subscribePresence(socket.socketId(), "presence-load-" + index + "-" + c, "user-" + index));
        }
        int subscribed = 0;
        int refused = 0;
        while (subscribed + refused < 100) {
            JsonNode outcome = socket.next();
            String event = outcome.get("event").asString();
            if (event.equals("pusher_internal:subscription_succeeded")) {
                subscribed++;
            }
            else if (event.equals("pusher:subscription_error")) {
                assertThat(outcome.get("data").get("status").asInt()).isEqualTo(503);
                assertThat(outcome.get("data").get("error").asString()).contains("heap");
                refused++;
            }
            else {
                // the pusher:error (4304) that comes before each subscription_error
                assertThat(event).isEqualTo("pusher:error");
            }
        }
        return new Heavy(attempt, subscribed, refused);
    }

    /** A new socket's fate: accepted, refused with 4100 (the reason), or not even accepted (neither). */
    private record Attempt(LoadSocket socket, String refusal) {
    }

    private Attempt attempt() throws Exception {
        LoadSocket socket;
        try {
            socket = LoadSocket.open(http, port, KEY);
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notAccepted) {
            return new Attempt(null, null);
        }
        if (socket.established()) {
            return new Attempt(socket, null);
        }
        assertThat(socket.lastError.get("data").get("code").asInt()).isEqualTo(4100);
        assertThat(socket.awaitClose()).isEqualTo(4100);
        return new Attempt(null, socket.lastError.get("data").get("message").asString());
    }

    /** Waits until a new socket is accepted again; returns it. */
    private LoadSocket awaitAccepting() {
        LoadSocket[] accepted = new LoadSocket[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Attempt attempt = attempt();
            accepted[0] = attempt.socket();
            return accepted[0] != null;
        });
        return accepted[0];
    }

    private static void drop(List<LoadSocket> sockets) {
        sockets.forEach(LoadSocket::abort);
        sockets.clear();
    }

    /** A publish now gets 503, Retry-After and the resource that ran short (refused before it is even authenticated). */
    private void assertPublishRefused(String reason) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apps/" + APP_ID + "/events"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"e\",\"channel\":\"keeper\",\"data\":\"{}\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("\"reason\":\"" + reason + "\"");
    }

    /** The socket that was open before the storm still answers a ping. */
    private static void assertStillAnswers(LoadSocket keeper) {
        keeper.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        assertThat(keeper.nextEvent("pusher:pong")).isNotNull();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + METRICS_TOKEN)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String subscribe(String channel) {
        return "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}";
    }

    private static String subscribePresence(String socketId, String channel, String userId) throws Exception {
        String channelData = "{\"user_id\":\"" + userId + "\",\"user_info\":{\"pad\":\"" + USER_INFO_PADDING + "\"}}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((socketId + ":" + channel + ":" + channelData).getBytes(StandardCharsets.UTF_8)));
        return LoadSocket.JSON.writeValueAsString(Map.of("event", "pusher:subscribe", "data",
                Map.of("channel", channel, "auth", KEY + ":" + signature, "channel_data", channelData)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
