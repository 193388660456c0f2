package dev.vask.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.ScheduledFuture;
import tools.jackson.databind.JsonNode;

/**
 * The soak test (not part of CI; {@code bench/soak.sh}, docs/performance.md): drives a running Vask for a
 * long time with a steady mix of everything its users do, samples the server every minute, and says whether
 * anything grew or got lost.
 *
 * <p>The mix, all at fixed rates: long-lived subscribers of public channels; churning clients that connect,
 * subscribe to a public channel and often a presence and a private channel, move to another public channel
 * half-way through their life, and leave after 20 to 100 s by a close frame, a bare TCP close, or by
 * unsubscribing first; numbered HTTP events over every channel; numbered client events on the private ones.
 *
 * <p>Every minute: heap after a forced GC, RSS, open file descriptors, the event loops' task queues (the
 * largest seen in the minute, sampled every 5 s), sockets and channels as the server reports them. The
 * verdict: every series after the warm-up is flat by {@link Trend}, and nothing was lost (see
 * {@link SoakClient}); at the end the presence members and occupied channels the HTTP API reports equal
 * what the clients hold, and once they are gone the server holds no socket and no channel.
 */
public final class Soak {

    private final Options options;
    private final Load load;
    private final ServerProbe probe;
    private final SoakLedger ledger = new SoakLedger();
    private final SoakPublisher publisher;
    private final PusherSigner signer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(20261201);
    private final List<SoakClient> live = new ArrayList<>();
    private final List<String> publicChannels = new ArrayList<>();
    private final List<String> presenceChannels = new ArrayList<>();
    private final List<String> privateChannels = new ArrayList<>();
    private final List<String> allChannels = new ArrayList<>();
    private final List<Map<String, String>> samples = new ArrayList<>();
    private final AtomicInteger pendingTasksMax = new AtomicInteger();
    private int nextUser;
    private double churnDue;
    private long publishStart;
    private long publishedSinceStart;
    private long clientEventStart;
    private long clientEventsSinceStart;
    private int publishCursor;
    private boolean running;
    private final List<ScheduledFuture<?>> tickers = new ArrayList<>();

    private Soak(Options options) {
        this.options = options;
        this.load = new Load("127.0.0.1", options.port);
        this.probe = new ServerProbe(options.pid, options.jcmd, options.clockTicks, null);
        this.publisher = new SoakPublisher(load, ledger, options.appId, options.key, options.secret);
        this.signer = new PusherSigner(options.key, options.secret);
        for (int i = 0; i < options.publicChannels; i++) {
            publicChannels.add("soak-" + i);
        }
        for (int i = 0; i < options.presenceChannels; i++) {
            presenceChannels.add("presence-soak-" + i);
        }
        for (int i = 0; i < options.privateChannels; i++) {
            privateChannels.add("private-soak-" + i);
        }
        Stream.of(publicChannels, presenceChannels, privateChannels).forEach(allChannels::addAll);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Soak soak = new Soak(options);
        int status;
        try {
            status = soak.run();
        }
        catch (BenchmarkException | IllegalStateException e) {
            soak.log("SOAK FAILED TO RUN: " + e.getMessage());
            status = 1;
        }
        finally {
            soak.load.close();
        }
        System.exit(status);
    }

    private int run() throws Exception {
        Files.createDirectories(options.out);
        enableClientEvents();
        long baselineHeap = probe.heapUsedAfterGcKb();
        long baselineRss = probe.rssKb();
        log("baseline without clients: heap after GC " + baselineHeap + " KB, RSS " + baselineRss + " KB, "
                + openFds() + " open file descriptors");
        publisher.open(options.publishConnections);
        startSteadyClients();

        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
        scraper.scheduleAtFixedRate(this::scrapePendingTasks, 0, 5, TimeUnit.SECONDS);
        load.onLoop(() -> {
            running = true;
            publishStart = clientEventStart = System.nanoTime();
            tickers.add(load.loop.scheduleAtFixedRate(this::churn, 100, 100, TimeUnit.MILLISECONDS));
            tickers.add(load.loop.scheduleAtFixedRate(this::publish, 10, 10, TimeUnit.MILLISECONDS));
            tickers.add(load.loop.scheduleAtFixedRate(this::sendClientEvents, 50, 50, TimeUnit.MILLISECONDS));
            return null;
        });
        log(String.format("running for %d minutes: %d steady clients, %.1f new clients/s living %d-%d s, %.0f HTTP events/s over %d channels,"
                        + " %.0f client events/s", options.minutes, options.steady, options.churnPerSecond, options.minLife, options.maxLife,
                options.publishRate, allChannels.size(), options.clientEventRate));

        long start = System.nanoTime();
        long cpu0 = probe.cpuTicks();
        int warmupSamples = options.warmupMinutes * 60 / options.sampleSeconds;
        boolean nativeMemory = false;
        for (int minute = 1; minute <= options.minutes * 60 / options.sampleSeconds; minute++) {
            long due = start + minute * options.sampleSeconds * 1_000_000_000L;
            Publisher.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
            long cpu1 = probe.cpuTicks();
            samples.add(sample(minute, (double) (cpu1 - cpu0) / options.clockTicks / options.sampleSeconds));
            cpu0 = cpu1;
            if (minute == warmupSamples) {
                nativeMemory = nativeMemoryBaseline();
            }
        }
        scraper.shutdownNow();
        String nativeMemoryDiff = nativeMemory ? probe.jcmd("VM.native_memory summary.diff") : null;
        if (nativeMemoryDiff != null) {
            Files.writeString(options.out.resolve("nmt-diff.txt"), nativeMemoryDiff);
        }

        Map<String, String> end = finish();
        long finalHeap = probe.heapUsedAfterGcKb();
        long finalRss = probe.rssKb();
        end.put("baseline heap after GC, no clients (KB)", Long.toString(baselineHeap));
        end.put("final heap after GC, all clients gone (KB)", Long.toString(finalHeap));
        end.put("baseline RSS, no clients (KB)", Long.toString(baselineRss));
        end.put("final RSS, all clients gone (KB)", Long.toString(finalRss));
        return write(end, nativeMemoryDiff);
    }

    // ---- set-up ----

    /** Client events are off by default: the admin switches them on for the app, as in the dashboard. */
    private void enableClientEvents() throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + options.port + "/api/v1";
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(base + "/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + options.adminEmail + "\",\"password\":\"" + options.adminPassword + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (session.statusCode() != 200) {
            throw new BenchmarkException("admin sign-in answered " + session.statusCode() + ": " + session.body());
        }
        String cookie = session.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("VASK_SESSION="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new BenchmarkException("admin sign-in set no VASK_SESSION cookie"));
        String csrf = SoakClient.JSON.readTree(session.body()).path("csrfToken").asString();
        HttpResponse<String> patched = http.send(HttpRequest.newBuilder(URI.create(base + "/apps/" + options.appId))
                .header("Content-Type", "application/json").header("Cookie", cookie + "; XSRF-TOKEN=" + csrf).header("X-XSRF-TOKEN", csrf)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"features\":{\"clientEvents\":true}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (patched.statusCode() != 200 || !SoakClient.JSON.readTree(patched.body()).path("features").path("clientEvents").asBoolean()) {
            throw new BenchmarkException("switching client events on answered " + patched.statusCode() + ": " + patched.body());
        }
        Publisher.sleep(1000); // every node hears of the change within about a second
    }

    private void startSteadyClients() {
        load.onLoop(() -> {
            for (int i = 0; i < options.steady; i++) {
                connect(List.of(publicChannels.get(i % publicChannels.size()), publicChannels.get((i + 7) % publicChannels.size())));
            }
            return null;
        });
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (load.onLoop(() -> live.stream().filter(c -> c.subscriptions.values().stream().filter(s -> s.active).count() == 2).count())
                < options.steady) {
            if (System.nanoTime() > deadline) {
                throw new BenchmarkException("the steady clients did not all subscribe within 120 s; first problem: " + load.onLoop(ledger::firstProblem));
            }
            Publisher.sleep(100);
        }
        log(options.steady + " steady clients subscribed");
    }

    private SoakClient connect(List<String> channels) {
        String user = "u" + nextUser++;
        URI uri = URI.create("ws://127.0.0.1:" + options.port + "/app/" + options.key + "?protocol=7&client=vask-soak&version=1.0");
        SoakClient client = new SoakClient(ledger, signer, user, channels,
                WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE, 1 << 20));
        live.add(client);
        load.bootstrap().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("http", new HttpClientCodec());
                ch.pipeline().addLast("aggregator", new HttpObjectAggregator(16384));
                ch.pipeline().addLast("soak", client);
            }
        }).connect(load.server, load.sourceAddress(nextUser)).addListener(f -> {
            if (!f.isSuccess()) {
                ledger.error("connect failed: " + f.cause());
                live.remove(client);
            }
        });
        return client;
    }

    // ---- the load (on the loop) ----

    private void churn() {
        if (!running) {
            return;
        }
        live.removeIf(client -> client.gone); // closed by the server: counted as a problem already
        churnDue += options.churnPerSecond / 10;
        while (churnDue >= 1) {
            churnDue--;
            List<String> channels = new ArrayList<>();
            channels.add(pick(publicChannels));
            if (random.nextBoolean()) {
                channels.add(pick(presenceChannels));
            }
            if (random.nextBoolean()) {
                channels.add(pick(privateChannels));
            }
            SoakClient client = connect(channels);
            long lifeMillis = 1000L * (options.minLife + random.nextInt(options.maxLife - options.minLife + 1));
            load.loop.schedule(() -> moveToAnotherChannel(client, channels.getFirst()), lifeMillis / 2, TimeUnit.MILLISECONDS);
            SoakClient.Leave how = SoakClient.Leave.values()[random.nextInt(SoakClient.Leave.values().length)];
            load.loop.schedule(() -> {
                if (running) { // once the run stops, the clients stay for the checks at the end
                    ledger.leaves++;
                    client.leave(how, () -> live.remove(client));
                }
            }, lifeMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void moveToAnotherChannel(SoakClient client, String from) {
        if (!running || !client.established()) {
            return;
        }
        client.unsubscribe(from, () -> {
            ledger.resubscribes++;
            String to = pick(publicChannels);
            if (client.established() && !client.subscriptions.containsKey(to)) {
                client.subscribe(to);
            }
        });
    }

    private void publish() {
        if (!running) {
            return;
        }
        long due = (long) ((System.nanoTime() - publishStart) * options.publishRate / 1e9);
        while (publishedSinceStart < due) {
            publishedSinceStart++;
            publisher.publish(allChannels.get(publishCursor++ % allChannels.size()));
        }
    }

    private void sendClientEvents() {
        if (!running || live.isEmpty()) {
            return;
        }
        long due = (long) ((System.nanoTime() - clientEventStart) * options.clientEventRate / 1e9);
        int attempts = 0;
        while (clientEventsSinceStart < due && attempts++ < 50) {
            SoakClient client = live.get(random.nextInt(live.size()));
            for (String channel : client.subscriptions.keySet()) {
                if (channel.startsWith("private-") && client.sendClientEvent(channel)) {
                    clientEventsSinceStart++;
                    break;
                }
            }
        }
    }

    private String pick(List<String> channels) {
        return channels.get(random.nextInt(channels.size()));
    }

    // ---- sampling ----

    private Map<String, String> sample(int minute, double serverCores) {
        Map<String, String> sample = new LinkedHashMap<>();
        sample.put("minute", Integer.toString(minute));
        sample.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        sample.put("heap_after_gc_kb", Long.toString(probe.heapUsedAfterGcKb()));
        sample.put("rss_kb", Long.toString(probe.rssKb()));
        sample.put("open_fds", Long.toString(openFds()));
        sample.put("eventloop_pending_tasks_max", Integer.toString(pendingTasksMax.getAndSet(0)));
        Map<String, Double> metrics = prometheus();
        sample.put("server_sockets", format(metrics.get("vask_realtime_connections")));
        sample.put("server_channels", format(metrics.get("vask_realtime_channels")));
        sample.put("server_cpu_cores", String.format(Locale.ROOT, "%.3f", serverCores));
        int clients = load.onLoop(live::size);
        SoakLedger.Counts counts = load.onLoop(ledger::counts);
        sample.put("clients", Integer.toString(clients));
        sample.put("published", Long.toString(counts.published()));
        sample.put("deliveries", Long.toString(counts.deliveries()));
        sample.put("client_events_received", Long.toString(counts.clientEventsReceived()));
        sample.put("connects", Long.toString(counts.connects()));
        sample.put("lost", Long.toString(counts.lostEvents() + counts.lostClientEvents()));
        sample.put("problems", Long.toString(counts.disordered() + counts.memberAnomalies() + counts.unexpectedCloses() + counts.errors() + counts.rejected()));
        log("minute " + minute + ": " + sample);
        return sample;
    }

    private void scrapePendingTasks() {
        try {
            Double max = prometheus().get("vask_realtime_eventloop_pending_tasks_max");
            if (max != null) {
                pendingTasksMax.accumulateAndGet(max.intValue(), Math::max);
            }
        }
        catch (RuntimeException e) {
            log("could not read the event loops' queues: " + e.getMessage());
        }
    }

    /** The server's own gauges, from /actuator/prometheus (the first series of each name). */
    private Map<String, Double> prometheus() {
        try {
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + options.port + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            Map<String, Double> values = new LinkedHashMap<>();
            response.body().filter(line -> line.startsWith("vask_")).forEach(line -> {
                int name = line.indexOf('{') > 0 ? line.indexOf('{') : line.indexOf(' ');
                values.putIfAbsent(line.substring(0, name), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            });
            return values;
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot read /actuator/prometheus: " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted");
        }
    }

    private long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + options.pid + "/fd"))) {
            return fds.count();
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot list /proc/" + options.pid + "/fd: " + e.getMessage());
        }
    }

    /**
     * Native memory tracking's baseline at the end of the warm-up, when the server runs with
     * {@code -XX:NativeMemoryTracking=summary}: the diff at the end says which part of the JVM any RSS growth is.
     */
    private boolean nativeMemoryBaseline() {
        try {
            probe.jcmd("VM.native_memory baseline");
            log("native memory baseline taken");
            return true;
        }
        catch (BenchmarkException notTracking) {
            log("no native memory tracking in the server (" + notTracking.getMessage().lines().findFirst().orElse("") + ")");
            return false;
        }
    }

    // ---- the end ----

    /** Stops the load, lets everything arrive, and checks it; returns the end-of-run findings. */
    private Map<String, String> finish() {
        Map<String, String> end = new LinkedHashMap<>();
        load.onLoop(() -> {
            running = false;
            tickers.forEach(t -> t.cancel(false));
            return null;
        });
        awaitOnLoop("every queued publish answered", () -> publisher.pending() == 0, 60);
        // clients half-way through leaving finish it; then the server has a moment to process the closes
        awaitOnLoop("every client connected or gone", () -> {
            live.removeIf(client -> client.gone);
            return live.stream().allMatch(SoakClient::established);
        }, 60);
        Publisher.sleep(2000);
        CompletableFuture<Void> pongs = load.onLoop(() -> {
            List<CompletableFuture<Void>> each = new ArrayList<>();
            for (SoakClient client : live) {
                if (client.established()) {
                    CompletableFuture<Void> pong = new CompletableFuture<>();
                    client.ping(() -> pong.complete(null));
                    each.add(pong);
                }
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
        });
        try {
            pongs.get(60, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            throw new BenchmarkException("not every client answered a last ping within 60 s: " + e);
        }
        long deadline = System.nanoTime() + SoakClient.TAIL_WAIT_MILLIS * 1_000_000;
        while (!load.onLoop(() -> live.stream().allMatch(SoakClient::hasEverything)) && System.nanoTime() < deadline) {
            Publisher.sleep(50);
        }
        load.onLoop(() -> {
            live.forEach(SoakClient::checkEverythingArrived);
            return null;
        });
        end.put("clients at the end", Integer.toString(load.onLoop(live::size)));
        end.put("presence members the HTTP API reports, against the clients", checkPresence());
        end.put("occupied channels the HTTP API reports, against the clients", checkChannels());
        Map<String, Double> before = prometheus();
        int clients = load.onLoop(live::size);
        end.put("sockets the server reports, against the clients",
                check(before.get("vask_realtime_connections"), clients, "sockets"));
        load.onLoop(() -> {
            for (SoakClient client : new ArrayList<>(live)) {
                client.leave(SoakClient.Leave.CLOSE_FRAME, () -> live.remove(client));
            }
            return null;
        });
        awaitOnLoop("every client gone", live::isEmpty, 60);
        Publisher.sleep(3000);
        Map<String, Double> after = prometheus();
        end.put("sockets after every client left", check(after.get("vask_realtime_connections"), 0, "sockets"));
        end.put("channels after every client left", check(after.get("vask_realtime_channels"), 0, "channels"));
        publisher.close();
        return end;
    }

    private String checkPresence() {
        List<String> findings = new ArrayList<>();
        for (String channel : presenceChannels) {
            Set<String> expected = load.onLoop(() -> {
                Set<String> users = new TreeSet<>();
                for (SoakClient client : live) {
                    SoakClient.Subscription s = client.subscriptions.get(channel);
                    if (s != null && s.active && !client.gone) {
                        users.add(client.userId);
                    }
                }
                return users;
            });
            JsonNode answer = SoakClient.JSON.readTree(query("/channels/" + channel + "/users", Map.of()));
            Set<String> reported = new TreeSet<>();
            answer.path("users").forEach(user -> reported.add(user.path("id").asString()));
            if (!reported.equals(expected)) {
                findings.add(channel + ": API " + reported + ", clients " + expected);
                load.onLoop(() -> ledger.memberAnomalies++);
            }
            List<String> views = load.onLoop(() -> {
                List<String> wrong = new ArrayList<>();
                for (SoakClient client : live) {
                    SoakClient.Subscription s = client.subscriptions.get(channel);
                    if (s != null && s.active && s.members != null && !new TreeSet<>(s.members).equals(expected)) {
                        wrong.add(client.userId + " sees " + new TreeSet<>(s.members));
                        ledger.memberAnomalies++;
                    }
                }
                return wrong;
            });
            if (!views.isEmpty()) {
                findings.add(channel + ": members' own views differ from " + expected + ": " + views);
            }
        }
        return findings.isEmpty() ? "equal (" + presenceChannels.size() + " channels)" : "DIFFERENT: " + String.join("; ", findings);
    }

    private String checkChannels() {
        Set<String> expected = load.onLoop(() -> {
            Set<String> channels = new TreeSet<>();
            for (SoakClient client : live) {
                client.subscriptions.values().stream().filter(s -> s.active).forEach(s -> channels.add(s.channel));
            }
            return channels;
        });
        Set<String> reported = new TreeSet<>();
        SoakClient.JSON.readTree(query("/channels", Map.of())).path("channels").propertyNames().forEach(reported::add);
        if (reported.equals(expected)) {
            return "equal (" + expected.size() + " channels)";
        }
        load.onLoop(() -> ledger.errors++);
        Set<String> extra = new TreeSet<>(reported);
        extra.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(reported);
        return "DIFFERENT: reported but held by no client " + extra + "; held but not reported " + missing;
    }

    private String check(Double reported, int expected, String what) {
        if (reported != null && reported.intValue() == expected) {
            return "equal (" + expected + " " + what + ")";
        }
        load.onLoop(() -> ledger.errors++);
        return "DIFFERENT: server " + format(reported) + ", expected " + expected;
    }

    private String query(String path, Map<String, String> params) {
        CompletableFuture<String> body = new CompletableFuture<>();
        load.onLoop(() -> {
            publisher.get(path, params, (status, text) -> {
                if (status == 200) {
                    body.complete(text);
                }
                else {
                    body.completeExceptionally(new BenchmarkException("GET " + path + " answered " + status + ": " + text));
                }
            });
            return null;
        });
        try {
            return body.get(30, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            throw new BenchmarkException("GET " + path + ": " + e.getMessage());
        }
    }

    private void awaitOnLoop(String what, java.util.concurrent.Callable<Boolean> condition, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!load.onLoop(condition)) {
            if (System.nanoTime() > deadline) {
                throw new BenchmarkException("not " + what + " within " + seconds + " s");
            }
            Publisher.sleep(100);
        }
    }

    // ---- results ----

    /** Writes samples.csv and summary.md; answers the exit status (0 pass, 2 fail). */
    private int write(Map<String, String> end, String nativeMemoryDiff) throws IOException {
        String mix = String.format(Locale.ROOT, "%d steady clients (2 public channels each); %.1f new clients/s, each living %d-%d s"
                        + " (a public channel, half of them a presence and half a private channel too; moved to another public"
                        + " channel half-way; gone by close frame, TCP close or unsubscribing first); %.0f HTTP events/s round-robin"
                        + " over %d channels; %.0f client events/s on the private ones",
                options.steady, options.churnPerSecond, options.minLife, options.maxLife, options.publishRate, allChannels.size(),
                options.clientEventRate);
        SoakReport report = new SoakReport(options.minutes, mix, options.sampleSeconds, options.warmupMinutes, samples);
        boolean pass = report.write(options.out, load.onLoop(ledger::counts), load.onLoop(ledger::firstProblem), end, nativeMemoryDiff);
        return pass ? 0 : 2;
    }

    private static String format(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.0f", value);
    }

    private void log(String message) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " [soak] " + message);
    }

    /** Command-line options: {@code --name value} pairs. */
    static final class Options {
        int port = 16001;
        long pid;
        String jcmd = "jcmd";
        long clockTicks = 100;
        String appId = "1234";
        String key = "bench-key";
        String secret = "bench-secret-value";
        String adminEmail = "admin@vask.local";
        String adminPassword = "bench-admin-password";
        Path out = Path.of("soak-results");
        int minutes = 30;
        int sampleSeconds = 60;
        int warmupMinutes = 5;
        int steady = 200;
        double churnPerSecond = 3;
        int minLife = 20;
        int maxLife = 100;
        int publicChannels = 20;
        int presenceChannels = 10;
        int privateChannels = 10;
        double publishRate = 20;
        double clientEventRate = 5;
        int publishConnections = 4;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
                }
                String name = args[i].substring(2);
                String value = args[++i];
                switch (name) {
                    case "port" -> o.port = Integer.parseInt(value);
                    case "pid" -> o.pid = Long.parseLong(value);
                    case "jcmd" -> o.jcmd = value;
                    case "clock-ticks" -> o.clockTicks = Long.parseLong(value);
                    case "app-id" -> o.appId = value;
                    case "key" -> o.key = value;
                    case "secret" -> o.secret = value;
                    case "admin-email" -> o.adminEmail = value;
                    case "admin-password" -> o.adminPassword = value;
                    case "out" -> o.out = Path.of(value);
                    case "minutes" -> o.minutes = Integer.parseInt(value);
                    case "sample-seconds" -> o.sampleSeconds = Integer.parseInt(value);
                    case "warmup-minutes" -> o.warmupMinutes = Integer.parseInt(value);
                    case "steady" -> o.steady = Integer.parseInt(value);
                    case "churn-per-second" -> o.churnPerSecond = Double.parseDouble(value);
                    case "min-life" -> o.minLife = Integer.parseInt(value);
                    case "max-life" -> o.maxLife = Integer.parseInt(value);
                    case "public-channels" -> o.publicChannels = Integer.parseInt(value);
                    case "presence-channels" -> o.presenceChannels = Integer.parseInt(value);
                    case "private-channels" -> o.privateChannels = Integer.parseInt(value);
                    case "publish-rate" -> o.publishRate = Double.parseDouble(value);
                    case "client-event-rate" -> o.clientEventRate = Double.parseDouble(value);
                    case "publish-connections" -> o.publishConnections = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            if (o.pid <= 0) {
                throw new IllegalArgumentException("--pid of the server is required");
            }
            if (o.minLife < 2 || o.maxLife < o.minLife) {
                throw new IllegalArgumentException("need 2 <= --min-life <= --max-life");
            }
            return o;
        }
    }
}
