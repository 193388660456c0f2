package dev.vask.server.overload;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.pusher.rest.Pusher;
import dev.vask.testing.database.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar run into the ground the way an undersized deployment would be: a small heap ({@code -Xmx128m})
 * and a low open-file limit ({@code ulimit -n 1024}, soft and hard, so the JVM cannot raise it), on one CPU
 * ({@code taskset -c 0}, where it must run a single event loop). Driven past its file
 * descriptors with idle sockets, then past its heap with sockets holding presence subscriptions of a kilobyte each,
 * it refuses: new sockets with 4100, new subscriptions with 503 errors, publishes with 503 and {@code Retry-After}.
 * It never throws {@link OutOfMemoryError}, keeps the socket that was there before the storm, and once the load
 * drops a fresh socket subscribes and receives an event published after the drop.
 *
 * <p>It runs in CI on a loaded two-core machine, so every wait has a deadline that fails with what was seen (the
 * jar's open files, the counts so far, the end of its log), and the jar is killed whatever happens. It checks that
 * what it counts is the jar's doing: the file limit read from {@code /proc/<pid>/limits}, every accepted socket's
 * id carrying the jar's node id, the jar's open files holding every accepted socket, and no accepted socket closed
 * behind the test's back.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
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
    /** Start-up of the jar (Flyway, bootstrap, first JIT) on one loaded CPU. */
    private static final Duration START = Duration.ofSeconds(150);
    /**
     * Each load phase: seconds on a quiet machine. Also well under the 130 s after which the server pings a silent
     * socket (the load sockets answer, but the phases need not depend on it).
     */
    private static final Duration PHASE = Duration.ofSeconds(100);
    /** One socket's handshake and first frame: a server that keeps its promise answers every one, 4100 or welcome. */
    private static final Duration ANSWER = Duration.ofSeconds(30);
    /** A publish refused once sockets are: the next sample of the jar's figures, however late on its loaded CPU. */
    private static final Duration PUBLISH_REFUSED = Duration.ofSeconds(20);
    /** Accepting again once the load has dropped (a sample interval, a garbage collection). */
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    /** This run's node id: every socket id the jar hands out starts with it, and no other server's does. */
    private final long nodeId = ThreadLocalRandom.current().nextLong(100_000_000, 999_999_999);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService clients = Executors.newFixedThreadPool(BATCH);
    private final AtomicInteger heavySockets = new AtomicInteger();
    private final List<LoadSocket> load = new CopyOnWriteArrayList<>();
    private int port;
    private @Nullable Process vask;
    private @Nullable Path log;
    /** Kills the jar should this JVM be stopped mid-test (a CI timeout, Ctrl-C): it must never outlive the build. */
    private final Thread killOnExit = new Thread(this::kill, "overload-it-kill-vask");

    @Test
    void pastItsFileLimitAndItsHeapTheJarRefusesNewWorkNeverFallsOverAndServesAgainOnceTheLoadDrops(@TempDir Path dir) throws Exception {
        // the load generator holds a thousand sockets and more: its own limit must not be what refuses them
        assertThat(fileLimits(Path.of("/proc/self/limits"))[0]).as("this JVM's open-file limit (the load generator's own)")
                .isGreaterThanOrEqualTo(4L * FILE_LIMIT);
        // the database runs outside the process under test (and off its one CPU): only Vask's own files count
        TestDatabase database = TestDatabase.create();
        log = dir.resolve("vask.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = System.getProperty("vask.server.jar");
        // ulimit -n sets the soft and the hard limit: the JVM raises its soft limit to the hard one at start, not past it.
        // exec: the process started here is the JVM itself (its pid is the one whose limits are checked, and killed).
        // On one CPU (taskset), as a container with a one-CPU quota: the server must size its event loops to it
        boolean oneCpu = Files.isExecutable(Path.of("/usr/bin/taskset"));
        String start = (oneCpu ? "exec taskset -c 0 " : "exec ") + "\"$0\" -Xmx128m -jar \"$1\" \"$2\"";
        ProcessBuilder command = new ProcessBuilder("bash", "-c", "ulimit -n " + FILE_LIMIT + " && " + start, java, jar,
                "--vask.realtime.node-id=" + nodeId)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        command.environment().put("VASK_DATABASE_URL", database.url());
        command.environment().put("VASK_MASTER_KEY", MASTER_KEY);
        // port 0: the jar binds a port the kernel picks and logs it; a port chosen here and bound by the jar seconds
        // later could be taken in between (by any outbound connection of this busy machine)
        command.environment().put("VASK_PORT", "0");
        command.environment().put("VASK_BOOTSTRAP_APP_ID", APP_ID);
        command.environment().put("VASK_BOOTSTRAP_APP_KEY", KEY);
        command.environment().put("VASK_BOOTSTRAP_APP_SECRET", SECRET);
        command.environment().put("VASK_METRICS_TOKEN", METRICS_TOKEN);
        Runtime.getRuntime().addShutdownHook(killOnExit);
        Process jarProcess = command.start();
        vask = jarProcess;
        long started = System.nanoTime();
        awaitReady(jarProcess);
        Matcher listening = Pattern.compile("Netty started on port (\\d+)").matcher(Files.readString(log));
        assertThat(listening.find()).as("the port in the jar's log").isTrue();
        port = Integer.parseInt(listening.group(1));
        System.out.printf("overload: the jar was ready in %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        // the limit the test is about, on the very process that serves the port
        assertThat(Files.readString(Path.of("/proc/" + jarProcess.pid() + "/cmdline")).replace('\0', ' ')).as("the jar's command line")
                .contains("-Xmx128m", "-jar " + jar);
        assertThat(fileLimits(Path.of("/proc/" + jarProcess.pid() + "/limits"))).as("the jar's open-file limit (soft, hard)")
                .containsExactly((long) FILE_LIMIT, (long) FILE_LIMIT);

        if (oneCpu) {
            assertThat(get("/actuator/prometheus").body()).as("one event loop on one CPU").contains("vask_capacity_event_loops 1.0");
        }

        LoadSocket keeper = LoadSocket.open(http, port, KEY, ANSWER);
        assertThat(keeper.established(ANSWER)).isTrue();
        assertServedByTheJar(keeper);
        keeper.send(subscribe("keeper"));
        keeper.nextEvent("pusher_internal:subscription_succeeded");

        started = System.nanoTime();
        // 1. past the file limit: idle sockets until new ones are refused for want of file descriptors
        Deadline filesPhase = Deadline.in(PHASE, "phase 1 (idle sockets until they and publishes are refused for file descriptors)");
        int refusedForFiles = 0;
        boolean publishesRefused = false;
        while (!publishesRefused) {
            int refusedSoFar = refusedForFiles;
            filesPhase.check(() -> status(jarProcess, refusedSoFar + " refused for file descriptors"));
            for (Attempt attempt : inParallel(this::attempt, filesPhase, jarProcess)) {
                if (attempt.socket() != null) {
                    load.add(attempt.socket());
                }
                else {
                    assertThat(attempt.refusal()).as(() -> "the refusal of a new socket; " + status(jarProcess, "")).contains("file descriptors");
                    refusedForFiles++;
                }
            }
            // a process under a limit of 1024 files cannot hold 1024 sockets: more means they are not all the jar's
            assertThat(load.size()).as(() -> "sockets held open at once, under a limit of " + FILE_LIMIT + " files; " + status(jarProcess, ""))
                    .isLessThan(FILE_LIMIT);
            // new sockets are refused before a sample shows the process past its threshold; publishes once one does
            publishesRefused = refusedForFiles >= 10 && publishRefused("file_descriptors");
        }
        assertThat(load.size()).as("sockets accepted before the refusals").isGreaterThan(FILE_LIMIT / 2);
        assertStillOpen(load);
        assertThat(openFiles(jarProcess)).as("the jar's open files: every accepted socket is one of them, under its limit")
                .isBetween((long) load.size(), (long) FILE_LIMIT);
        assertStillAnswers(keeper);
        System.out.printf("overload: %d idle sockets accepted, then refused for file descriptors (%d s)%n", load.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());

        drop(load);
        // the heap phase starts from a sample taken once the jar has closed them: sockets accepted since the latest
        // sample count against the file threshold, and a sample from before the drop would refuse for files
        awaitFilesSampledUnder(0.5, jarProcess);
        awaitAccepting(jarProcess).abort();

        // 2. past the heap: sockets holding a hundred presence channels of a kilobyte each
        Deadline heapPhase = Deadline.in(PHASE, "phase 2 (presence subscriptions until sockets are refused for heap)");
        int refusedForHeap = 0;
        int subscriptionsRefused = 0;
        int subscribed = 0;
        while (refusedForHeap < 5) {
            int soFar = subscribed;
            heapPhase.check(() -> status(jarProcess, soFar + " presence subscriptions held"));
            for (Heavy heavy : inParallel(this::heavySocket, heapPhase, jarProcess)) {
                if (heavy.attempt().refusal() != null) {
                    assertThat(heavy.attempt().refusal()).as(() -> "the refusal of a new socket; " + status(jarProcess, "")).contains("heap");
                    refusedForHeap++;
                }
                else {
                    load.add(heavy.attempt().socket());
                    subscribed += heavy.subscribed();
                    subscriptionsRefused += heavy.refused();
                }
            }
            assertThat(load.size()).as("sockets held open at once, under a limit of %d files", FILE_LIMIT).isLessThan(FILE_LIMIT);
        }
        assertThat(subscribed).as("presence subscriptions held before the heap ran short").isGreaterThan(1000);
        assertStillOpen(load);
        assertPublishRefused("heap");
        assertStillAnswers(keeper);
        assertThat(jarProcess.isAlive()).isTrue();

        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("vask_capacity_refusals_total\\{resource=\"file_descriptors\",surface=\"websocket\"} [1-9]")
                .containsPattern("vask_capacity_refusals_total\\{resource=\"heap\",surface=\"websocket\"} [1-9]")
                .containsPattern("vask_capacity_refusals_total\\{resource=\"heap\",surface=\"publish\"} [1-9]");
        System.out.printf("overload: %d sockets held %d presence subscriptions, %d more refused, before new sockets were refused for heap"
                + " (%d s since the first socket)%n", load.size(), subscribed, subscriptionsRefused, Duration.ofNanos(System.nanoTime() - started).toSeconds());

        // 3. the load drops: a fresh socket is served as if nothing had happened, and the keeper is still there
        drop(load);
        LoadSocket fresh = awaitAccepting(jarProcess);
        fresh.send(subscribe("after-the-storm"));
        fresh.nextEvent("pusher_internal:subscription_succeeded");
        String sentinel = UUID.randomUUID().toString();
        Pusher backend = new Pusher(APP_ID, KEY, SECRET);
        backend.setHost("127.0.0.1:" + port);
        backend.setEncrypted(false);
        assertThat(backend.trigger(List.of("after-the-storm", "keeper"), "sentinel", Map.of("id", sentinel)).getHttpStatus()).isEqualTo(200);
        backend.close();
        JsonNode toFresh = fresh.nextEvent("sentinel");
        assertThat(toFresh.get("channel").asString()).isEqualTo("after-the-storm");
        assertThat(toFresh.get("data").asString()).contains(sentinel);
        JsonNode toKeeper = keeper.nextEvent("sentinel");
        assertThat(toKeeper.get("channel").asString()).isEqualTo("keeper");
        assertThat(toKeeper.get("data").asString()).contains(sentinel);
        fresh.abort();
        keeper.abort();
        assertThat(jarProcess.isAlive()).isTrue();

        // SIGTERM, as an operator stops it; everything it logged is then on disk
        jarProcess.destroy();
        assertThat(jarProcess.waitFor(60, TimeUnit.SECONDS)).as("the jar stopped within 60 s of SIGTERM").isTrue();
        String output = Files.readString(log);
        assertThat(output).doesNotContain("OutOfMemoryError")
                .contains("Over capacity (file_descriptors")
                .contains("Over capacity (heap")
                .contains("Back under capacity");
    }

    /** Whatever happened (a failure, the timeout): no client, socket or jar outlives the test. */
    @AfterEach
    void stopEverything() {
        clients.shutdownNow();
        drop(load);
        kill();
        http.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
        catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNeverAdded) {
            // nothing to remove
        }
    }

    private void kill() {
        Process process = vask;
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Process jarProcess) throws Exception {
        Deadline deadline = Deadline.in(START, "the jar's start");
        while (!Files.readString(log).contains("Vask is ready.")) {
            assertThat(jarProcess.isAlive()).as("Vask exited:\n%s", Files.readString(log)).isTrue();
            deadline.check(() -> status(jarProcess, "not ready"));
            Thread.sleep(250);
        }
    }

    /** A deadline for a step: past it, the step fails with what was seen. */
    private record Deadline(String step, long endNanos) {

        static Deadline in(Duration duration, String step) {
            return new Deadline(step + " within " + duration.toSeconds() + " s", System.nanoTime() + duration.toNanos());
        }

        long remainingMillis() {
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
        }

        void check(java.util.function.Supplier<String> seen) {
            if (System.nanoTime() - endNanos > 0) {
                throw new AssertionError("Missed the deadline of " + step + ": " + seen.get());
            }
        }
    }

    /** Runs {@link #BATCH} of the task at once (a few clients arriving together) and returns what each gave, by the deadline. */
    private <T> List<T> inParallel(Callable<T> task, Deadline deadline, Process jarProcess) throws Exception {
        List<Future<T>> running = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            running.add(clients.submit(task));
        }
        List<T> results = new ArrayList<>();
        try {
            for (Future<T> result : running) {
                try {
                    results.add(result.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS));
                }
                catch (TimeoutException e) {
                    deadline.check(() -> status(jarProcess, "clients still waiting for the jar"));
                    throw new AssertionError("clients still waiting for the jar at the deadline of " + deadline.step());
                }
                catch (ExecutionException e) {
                    if (e.getCause() instanceof AssertionError failure) {
                        throw new AssertionError(failure.getMessage() + "; " + status(jarProcess, ""), failure);
                    }
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        finally {
            running.forEach(future -> future.cancel(true));
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

    /** A new socket's fate: accepted (the socket), or refused with 4100 (the reason). */
    private record Attempt(@Nullable LoadSocket socket, @Nullable String refusal) {
    }

    /**
     * A new socket, which the jar must answer: accepted, or refused with 4100. A socket neither accepted nor refused
     * in time is what admission control is there to prevent (a process out of file descriptors can no longer refuse
     * anyone), and fails the test then and there, rather than being counted and waited for again.
     */
    private Attempt attempt() throws Exception {
        LoadSocket socket;
        try {
            socket = LoadSocket.open(http, port, KEY, ANSWER);
        }
        catch (TimeoutException | ExecutionException notAnswered) {
            Throwable cause = notAnswered instanceof ExecutionException e && e.getCause() != null ? e.getCause() : notAnswered;
            throw new AssertionError("a new socket was neither accepted nor refused within " + ANSWER.toSeconds() + " s (" + cause + ")",
                    notAnswered);
        }
        if (socket.established(ANSWER)) {
            assertServedByTheJar(socket);
            return new Attempt(socket, null);
        }
        assertThat(socket.lastError.get("data").get("code").asInt()).as("the error of a refused socket").isEqualTo(4100);
        assertThat(socket.awaitClose()).as("the close code of a refused socket").isEqualTo(4100);
        return new Attempt(null, socket.lastError.get("data").get("message").asString());
    }

    /** Its socket id carries this run's node id: it is the jar under test that accepted it, not another server. */
    private void assertServedByTheJar(LoadSocket socket) {
        assertThat(socket.socketId()).as("socket id of an accepted socket").startsWith(nodeId + ".");
    }

    /** Waits until a new socket is accepted again; returns it. */
    private LoadSocket awaitAccepting(Process jarProcess) throws Exception {
        Deadline deadline = Deadline.in(RECOVERY, "accepting again once the load dropped");
        while (true) {
            deadline.check(() -> status(jarProcess, "still refusing"));
            Attempt attempt = attempt();
            if (attempt.socket() != null) {
                return attempt.socket();
            }
            Thread.sleep(500);
        }
    }

    /** Waits until the jar's sampled share of its file limit ({@code vask_capacity_usage}) is under {@code share}. */
    private void awaitFilesSampledUnder(double share, Process jarProcess) throws Exception {
        Deadline deadline = Deadline.in(RECOVERY, "the dropped sockets closed, and sampled under " + share + " of the file limit");
        Pattern usage = Pattern.compile("vask_capacity_usage\\{resource=\"file_descriptors\"} (\\S+)");
        while (true) {
            Matcher sampled = usage.matcher(get("/actuator/prometheus").body());
            assertThat(sampled.find()).as("the sampled share of the file limit in the jar's metrics").isTrue();
            String figure = sampled.group(1);
            if (Double.parseDouble(figure) < share) {
                return;
            }
            deadline.check(() -> status(jarProcess, "sampled share " + figure));
            Thread.sleep(250);
        }
    }

    /** No socket the test counts as held was closed by the server (a socket closed frees its file descriptor). */
    private static void assertStillOpen(List<LoadSocket> sockets) {
        List<Integer> closeCodes = sockets.stream().map(LoadSocket::closeCode).filter(java.util.Objects::nonNull).toList();
        assertThat(closeCodes).as("close codes of sockets the test holds as open").isEmpty();
    }

    private static void drop(List<LoadSocket> sockets) {
        sockets.forEach(LoadSocket::abort);
        sockets.clear();
    }

    /** A publish gets 503, Retry-After and the resource that ran short, by a deadline (see {@link #publishRefused}). */
    private void assertPublishRefused(String reason) throws Exception {
        Deadline deadline = Deadline.in(PUBLISH_REFUSED, "a publish refused for " + reason);
        while (!publishRefused(reason)) {
            deadline.check(() -> "publishes still answered 401, not 503");
            Thread.sleep(200);
        }
    }

    /**
     * Whether a publish is now refused for the resource: 503, Retry-After and the resource that ran short (refused
     * before it is even authenticated), or else 401 (the unsigned publish got as far as authentication), never
     * taken. Publishes follow the sampled verdict, which comes up to a sample interval after new sockets are refused:
     * those are refused as soon as the sockets admitted since the latest sample would take the process past its
     * file threshold, before any sample shows it.
     */
    private boolean publishRefused(String reason) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apps/" + APP_ID + "/events"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"e\",\"channel\":\"keeper\",\"data\":\"{}\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 503) {
            assertThat(response.statusCode()).as("an unsigned publish not refused for capacity: %s", response.body()).isEqualTo(401);
            return false;
        }
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("\"reason\":\"" + reason + "\"");
        return true;
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

    /** What a missed deadline reports: the counts so far, the jar's open files, and the end of its log. */
    private String status(Process jarProcess, String counts) {
        String tail;
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            tail = String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        }
        catch (IOException | UncheckedIOException e) {
            tail = "(no log: " + e + ")";
        }
        return String.format("%s; %d sockets held; the jar (%s) holds %d of its %d files; its log ends with:%n%s", counts, load.size(),
                jarProcess.isAlive() ? "alive" : "exited", openFiles(jarProcess), FILE_LIMIT, tail);
    }

    /** The process's open file descriptors (-1 once it is gone). */
    private static long openFiles(Process process) {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return descriptors.count();
        }
        catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** The soft and hard open-file limits of a process, from its {@code /proc/<pid>/limits}. */
    private static long[] fileLimits(Path limits) throws IOException {
        Matcher line = Pattern.compile("Max open files\\s+(\\d+|unlimited)\\s+(\\d+|unlimited)").matcher(Files.readString(limits));
        assertThat(line.find()).as("the open-file limits in %s", limits).isTrue();
        return new long[] {limit(line.group(1)), limit(line.group(2))};
    }

    private static long limit(String value) {
        return value.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(value);
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
}
