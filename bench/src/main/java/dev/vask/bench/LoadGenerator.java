package dev.vask.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Drives running servers through the scenarios of issue 4 and writes what it measured, one
 * properties file per server, for {@link Report}. Every figure is measured from outside the server:
 * <ul>
 * <li>{@code memory}: heap after a forced GC and RSS, before and with N idle subscribed connections;</li>
 * <li>{@code fanout}: S subscribers of one channel: server CPU per delivery at a fixed publish rate (which every
 *     server sustains) and at saturation, then publish-to-receive latency at the latency rate;</li>
 * <li>{@code channels}: the publish path: C channels of 2 subscribers each, events round robin at a fixed rate, first
 *     one per {@code POST /apps/{id}/events}, then {@code --batch-size} per {@code POST /apps/{id}/batch_events}:
 *     server CPU per published event and latency.</li>
 * </ul>
 * Several servers can be measured in one run ({@code --server NAME,PORT,PID,OUT_FILE[,COMPANION]}, repeated): the
 * fan-out windows then alternate between them. Usage: {@code LoadGenerator --server ... [options]} (see {@link Options}).
 */
public final class LoadGenerator {

    private final Options options;
    private final Target target;
    private final Load load;
    private final ServerProbe probe;
    private final Map<String, String> results = new TreeMap<>();
    private final long selfPid = ProcessHandle.current().pid();
    private boolean failed;
    /** The fan-out scenarios' subscribers and publisher, open while {@link #fanout} runs. */
    private @Nullable Fleet fanoutFleet;
    private @Nullable Publisher fanoutPublisher;
    /** For a cluster target: its Redis, whose commands per published event are counted in the latency windows. */
    private final @Nullable Integer redisPort;
    private long redisPublishCommands;
    private long redisCommands;
    private long redisEvents;

    private LoadGenerator(Options options, Target target) {
        this.options = options;
        this.target = target;
        this.load = new Load(target.host(), target.port(), options.publishPorts.getOrDefault(target.name(), target.port()));
        this.redisPort = options.redisPorts.get(target.name());
        this.probe = new ServerProbe(target.pid(), options.jcmd, options.clockTicks, target.companion());
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        List<LoadGenerator> generators = new ArrayList<>();
        options.targets.forEach(t -> generators.add(new LoadGenerator(options, t)));
        boolean failed = false;
        try {
            generators.forEach(LoadGenerator::start);
            for (String phase : options.phases) {
                if (phase.equals("fanout")) {
                    fanout(options, generators);
                }
                else {
                    generators.forEach(g -> g.phase(phase));
                }
                generators.forEach(LoadGenerator::write);
            }
            for (LoadGenerator generator : generators) {
                generator.finish();
                failed |= generator.failed;
            }
        }
        finally {
            generators.forEach(g -> g.load.close());
        }
        System.exit(failed ? 1 : 0);
    }

    private void start() {
        put("target", target.name());
        put("transport", load.epoll ? "epoll" : "nio");
        log("load generator on " + Runtime.getRuntime().availableProcessors() + " CPU(s), " + (load.epoll ? "epoll" : "nio")
                + "; server pid " + target.pid() + " at " + target.host() + ":" + target.port());
    }

    private void phase(String phase) {
        try {
            switch (phase) {
                case "warmup" -> warmup();
                case "memory" -> memory();
                case "channels" -> channels();
                default -> throw new BenchmarkException("unknown phase " + phase);
            }
        }
        catch (BenchmarkException | IllegalStateException e) {
            failed(phase, e);
        }
    }

    private void failed(String phase, RuntimeException e) {
        failed = true;
        put(phase + ".error", e.getMessage());
        log("PHASE " + phase + " FAILED: " + e.getMessage());
    }

    private void finish() {
        Stats.Snapshot end = load.snapshot();
        put("errors", end.errors());
        put("unexpected_closes", end.unexpectedCloses());
        String firstError = load.onLoop(() -> load.stats.firstError);
        String firstClose = load.onLoop(() -> load.stats.firstUnexpectedClose);
        if (firstError != null) {
            put("first_error", firstError);
        }
        if (firstClose != null) {
            put("first_unexpected_close", firstClose);
        }
        write();
    }

    // ---- phases ----

    /** Connects subscribers and publishes for a while, so the JIT has compiled both paths before anything is measured. */
    private void warmup() {
        int subscribers = Math.min(1000, options.subscribers);
        int small = 100;
        Fleet fleet = new Fleet(load, options.key, subscribers + 2 * small,
                i -> i < subscribers ? "bench-warmup" : "bench-warmup-" + (i % small));
        fleet.connect(options.handshakesInFlight, 120);
        Publisher publisher = publisher();
        try {
            // rounds of both paths until the server's JIT compiler has (nearly) nothing left to do:
            // the delivery path (one channel, many subscribers), then the publish path (HTTP API, channels of 2)
            long deadline = System.nanoTime() + options.maxWarmupSeconds * 1_000_000_000L;
            int round = 0;
            double jit;
            do {
                round++;
                Window window = new Window();
                publisher.startRate(100, i -> "bench-warmup");
                Publisher.sleep(options.warmupSeconds * 1000L);
                publisher.startRate(1000, i -> "bench-warmup-" + (i % small));
                Publisher.sleep(options.warmupSeconds * 2000L);
                window.end();
                jit = window.cores(window.threads[1]);
                log(String.format("warm-up round %d: server JIT compiler %.2f cores", round, jit));
            } while (jit > options.maxJitLoad && System.nanoTime() < deadline);
            put("warmup.rounds", round);
            put("warmup.last_round_jit_cores", String.format("%.3f", jit));
            publisher.stop();
            publisher.awaitIdle(10_000);
            Publisher.PublishCounts counts = publisher.counts();
            if (counts.rejected() > 0 || counts.accepted() == 0) {
                // the connection paths are warm all the same; the publishing phases will say what is wrong
                put("warmup.publish_rejected", counts.firstRejection());
                log("warm-up: publishing does not work here (" + counts.firstRejection() + "); only connections were warmed up");
            }
            else {
                log("warm-up: " + counts.accepted() + " publishes");
            }
        }
        finally {
            publisher.close();
            fleet.close();
        }
        awaitQuiet();
        log("warm-up done");
    }

    private void memory() {
        int n = options.connections;
        Path histograms = target.out().resolveSibling(target.name() + "-histogram-");
        long heapBefore = probe.heapUsedAfterGcKb();
        long rssBefore = probe.rssKb();
        probe.classHistogram(Path.of(histograms + "before.txt"));
        log("memory: before: heap after GC " + heapBefore + " KB, RSS " + rssBefore + " KB; connecting " + n + " clients, each subscribed to its own channel");
        Fleet fleet = new Fleet(load, options.key, n, i -> "bench-m-" + i);
        long start = System.nanoTime();
        long ticksBefore = probe.cpuTicks();
        fleet.connect(options.handshakesInFlight, 600);
        long setUpTicks = probe.cpuTicks() - ticksBefore;
        double seconds = (System.nanoTime() - start) / 1e9;
        put("memory.connections", n);
        put("memory.connect_seconds", String.format("%.1f", seconds));
        // the server's CPU for each connection's set-up: handshake, connection_established (and vask:vapid when the
        // app has Web Push on), subscribe; clock ticks are coarse (10 ms), so thousands of connections are needed
        put("memory.setup_cpu_us_per_connection", String.format("%.1f", setUpTicks * 1e6 / options.clockTicks / n));
        log(String.format("memory: %d clients subscribed in %.1f s; idle for %d s", n, seconds, options.settleSeconds));
        try {
            Publisher.sleep(options.settleSeconds * 1000L);
            long heapAfter = probe.heapUsedAfterGcKb();
            long rssAfter = probe.rssKb();
            probe.classHistogram(Path.of(histograms + "loaded.txt"));
            Stats.Snapshot snapshot = load.snapshot();
            if (snapshot.unexpectedCloses() > 0) {
                throw new BenchmarkException(snapshot.unexpectedCloses() + " connections were closed by the server while idle");
            }
            put("memory.heap_before_kb", heapBefore);
            put("memory.heap_loaded_kb", heapAfter);
            put("memory.rss_before_kb", rssBefore);
            put("memory.rss_loaded_kb", rssAfter);
            put("memory.heap_per_connection_bytes", (heapAfter - heapBefore) * 1024 / n);
            put("memory.rss_per_connection_bytes", (rssAfter - rssBefore) * 1024 / n);
            log("memory: with " + n + " connections: heap after GC " + heapAfter + " KB (" + (heapAfter - heapBefore) * 1024 / n
                    + " B/connection), RSS " + rssAfter + " KB (" + (rssAfter - rssBefore) * 1024 / n + " B/connection)");
        }
        finally {
            fleet.close();
            Publisher.sleep(3000);
        }
    }

    /**
     * The fan-out scenarios, interleaved when several servers are measured: every server gets its subscribers
     * and publisher first, then each figure is measured in rounds, server after server within a round, so a
     * change in the machine's state over time (other work, thermal, the host) touches every server alike.
     * CPU per delivery is the median of the rounds; latency is recorded over all rounds.
     */
    private static void fanout(Options options, List<LoadGenerator> generators) {
        List<LoadGenerator> ready = new ArrayList<>();
        for (LoadGenerator g : generators) {
            try {
                g.openFanout();
                ready.add(g);
            }
            catch (BenchmarkException | IllegalStateException e) {
                g.failed("fanout", e);
            }
        }
        try {
            IntFunction<String> channel = i -> "bench-fanout";
            int subscribers = options.subscribers;
            cpuStage(options, ready, "cpu.moderate", "fixed rate " + options.moderateRate + " publishes/s ("
                    + Math.round(options.moderateRate * subscribers) + " deliveries/s)",
                    g -> g.fanoutPublisher.startRate(options.moderateRate, channel));
            cpuStage(options, ready, "cpu.saturation", "saturation, " + options.saturationInFlight + " publishes in flight",
                    g -> g.fanoutPublisher.startSaturation(options.saturationInFlight, 20L * subscribers, subscribers, channel));
            latencyStage(options, ready, "latency.fanout", g -> g.fanoutPublisher, options.latencyRate, subscribers, channel);
        }
        finally {
            ready.forEach(LoadGenerator::closeFanout);
        }
    }

    private void openFanout() {
        fanoutFleet = new Fleet(load, options.key, options.subscribers, i -> "bench-fanout");
        fanoutFleet.connect(options.handshakesInFlight, 120);
        fanoutPublisher = publisher();
        log("fanout: " + options.subscribers + " subscribers of one channel");
    }

    private void closeFanout() {
        if (fanoutPublisher != null) {
            fanoutPublisher.close();
        }
        if (fanoutFleet != null) {
            fanoutFleet.close();
        }
        Publisher.sleep(1000);
    }

    private static void cpuStage(Options options, List<LoadGenerator> generators, String name, String description,
            java.util.function.Consumer<LoadGenerator> start) {
        Map<LoadGenerator, List<Measured>> rounds = new LinkedHashMap<>();
        for (int round = 1; round <= options.rounds; round++) {
            for (LoadGenerator g : generators) {
                if (g.results.containsKey(name + ".error")) {
                    continue;
                }
                try {
                    g.log(name + ": " + description + ", round " + round + " of " + options.rounds);
                    start.accept(g);
                    Publisher.sleep(options.warmupSeconds * 1000L);
                    g.requireAccepted(g.fanoutPublisher, name);
                    rounds.computeIfAbsent(g, k -> new ArrayList<>()).add(g.cpuWindow(name, g.fanoutPublisher, options.subscribers));
                    g.fanoutPublisher.stop();
                    g.fanoutPublisher.awaitIdle(10_000);
                    g.awaitQuiet();
                }
                catch (BenchmarkException | IllegalStateException e) {
                    g.fanoutPublisher.stop();
                    g.failed(name, e);
                }
            }
        }
        rounds.forEach((g, measured) -> g.keepMedian(name, measured));
    }

    /** A CPU window's figures and how disturbed it was. */
    private record Measured(Map<String, String> figures, double disturbance, double usPerDelivery) {
    }

    private void keepMedian(String name, List<Measured> measured) {
        List<Measured> sorted = new ArrayList<>(measured);
        sorted.sort(java.util.Comparator.comparingDouble(Measured::usPerDelivery));
        Measured median = sorted.get((sorted.size() - 1) / 2);
        median.figures().forEach(results::put);
        put(name + ".rounds", measured.size());
        put(name + ".us_per_delivery_rounds", String.join(" ", measured.stream().map(m -> String.format("%.2f", m.usPerDelivery())).toList()));
        put(name + ".disturbed", measured.stream().anyMatch(m -> m.disturbance() > 0));
        log(String.format("%s: median of %d rounds %.3f us/delivery (rounds: %s)", name, measured.size(), median.usPerDelivery(),
                results.get(name + ".us_per_delivery_rounds")));
    }

    private void channels() {
        int channels = options.channels;
        Fleet fleet = new Fleet(load, options.key, channels * 2, i -> "bench-c-" + (i % channels));
        fleet.connect(options.handshakesInFlight, 300);
        Publisher publisher = publisher();
        try {
            log("channels: " + channels + " channels x 2 subscribers; server CPU per event and latency at " + options.channelsRate
                    + " events/s, round robin, through /events");
            latencyStage(options, List.of(this), "latency.channels", g -> publisher, options.channelsRate, 2, i -> "bench-c-" + (i % channels));
            if (results.containsKey("latency.channels.error")) {
                throw new BenchmarkException(results.get("latency.channels.error"));
            }
            int batch = options.batchSize;
            log("channels: the same " + options.channelsRate + " events/s through /batch_events, " + batch + " events per request");
            publisher.batch(batch);
            latencyStage(options, List.of(this), "latency.batch", g -> publisher, options.channelsRate / batch, 2 * batch,
                    i -> "bench-c-" + (i % channels));
            if (results.containsKey("latency.batch.error")) {
                throw new BenchmarkException(results.get("latency.batch.error"));
            }
        }
        finally {
            publisher.close();
            fleet.close();
            Publisher.sleep(2000);
        }
    }

    // ---- measurement ----

    /**
     * Measures server CPU per delivery over a window. A window in which other processes used more than
     * {@code --max-other-load} cores (or the server's JIT more than {@code --max-jit-load}) is repeated, up to
     * {@code --attempts} times; the least disturbed one is kept.
     */
    private Measured cpuWindow(String name, Publisher publisher, int subscribers) {
        Measured best = null;
        int attempt = 0;
        while (attempt < options.attempts && (best == null || best.disturbance() > 0)) {
            attempt++;
            Map<String, String> figures = new LinkedHashMap<>();
            Window window = cpuWindowOnce(name, publisher, subscribers, figures);
            double disturbance = disturbance(name, window, attempt);
            figures.put(name + ".attempts", Integer.toString(attempt));
            Measured measured = new Measured(figures, disturbance, Double.parseDouble(figures.get(name + ".us_per_delivery")));
            if (best == null || disturbance < best.disturbance()) {
                best = measured;
            }
        }
        return best;
    }

    private Window cpuWindowOnce(String name, Publisher publisher, int subscribers, Map<String, String> figures) {
        Window window = new Window();
        long startMillis = System.currentTimeMillis();
        Stats.Snapshot s0 = load.snapshot();
        Publisher.PublishCounts p0 = publisher.counts();
        Publisher.sleep(options.windowSeconds * 1000L);
        window.end();
        // wall-clock bounds, so a profile of the whole run (VASK_BENCH_PERF=1) can be cut to this window
        log(String.format("%s: window from %.3f to %.3f (epoch seconds)", name, startMillis / 1e3, System.currentTimeMillis() / 1e3));
        Stats.Snapshot s1 = load.snapshot();
        Publisher.PublishCounts p1 = publisher.counts();

        double seconds = (s1.nanos() - s0.nanos()) / 1e9;
        long deliveries = s1.deliveries() - s0.deliveries();
        if (deliveries <= 0) {
            throw new BenchmarkException(name + ": no deliveries in the window");
        }
        if (window.server <= 0) {
            throw new BenchmarkException(name + ": the server used no measurable CPU time in the window");
        }
        double cpuSeconds = (double) window.server / options.clockTicks;
        double usPerDelivery = cpuSeconds * 1e6 / deliveries;
        figures.put(name + ".window_seconds", String.format("%.2f", seconds));
        figures.put(name + ".publishes", Long.toString(p1.sent() - p0.sent()));
        figures.put(name + ".publishes_per_second", String.format("%.0f", (p1.sent() - p0.sent()) / seconds));
        figures.put(name + ".deliveries", Long.toString(deliveries));
        figures.put(name + ".deliveries_per_second", String.format("%.0f", deliveries / seconds));
        figures.put(name + ".server_cpu_ticks", Long.toString(window.server));
        figures.put(name + ".server_user_ticks", Long.toString(window.user));
        figures.put(name + ".server_system_ticks", Long.toString(window.server - window.user));
        figures.put(name + ".server_cpu_utilisation", String.format("%.2f", cpuSeconds / seconds));
        figures.put(name + ".us_per_delivery", String.format("%.3f", usPerDelivery));
        figures.put(name + ".companion_cpu_ticks", Long.toString(window.companions));
        figures.put(name + ".loadgen_cpu_utilisation", String.format("%.2f", window.cores(window.self)));
        figures.put(name + ".other_cpu_cores", String.format("%.2f", window.cores(window.others())));
        figures.put(name + ".server_core_busy", String.format("%.2f", window.cores(window.coreBusy)));
        figures.put(name + ".server_core_softirq", String.format("%.2f", window.cores(window.coreSoftirq)));
        figures.put(name + ".publish_backlog_max", Long.toString(p1.backlogMax()));
        if (name.equals("cpu.moderate")) {
            // the fixed rate is only comparable if the server kept up with it
            boolean sustained = deliveries / seconds >= 0.95 * options.moderateRate * subscribers;
            figures.put(name + ".sustained", Boolean.toString(sustained));
            if (!sustained) {
                log(String.format("%s: the server did NOT sustain %.0f deliveries/s", name, options.moderateRate * subscribers));
            }
        }
        window.put(figures, name);
        log(name + ": server threads: " + window.threadGroups());
        log(String.format("%s: %.0f deliveries/s (%.0f publishes/s x %d), server CPU %.2f cores (%.0f%% user), %.3f us/delivery;"
                + " server core busy %.2f (softirq %.2f); load generator %.2f, companions %.2f, other processes %.2f cores",
                name, deliveries / seconds, (p1.sent() - p0.sent()) / seconds, subscribers, cpuSeconds / seconds,
                100.0 * window.user / window.server, usPerDelivery, window.cores(window.coreBusy), window.cores(window.coreSoftirq),
                window.cores(window.self), window.cores(window.companions), window.cores(window.others())));
        return window;
    }

    /**
     * How far a window is from the conditions it should measure: 0 when other processes used at most
     * {@code --max-other-load} cores and the server's JIT compiler at most {@code --max-jit-load}; otherwise the
     * excess, so that the least disturbed of several attempts can be kept. Logs when it will measure again.
     */
    private double disturbance(String name, Window window, int attempt) {
        double others = window.cores(window.others());
        double jit = window.cores(window.threads[1]);
        double excess = Math.max(0, others - options.maxOtherLoad) + Math.max(0, jit - options.maxJitLoad);
        if (excess > 0 && attempt < options.attempts) {
            log(String.format("%s: disturbed window (other processes %.2f cores, limit %.2f; server JIT %.2f cores, limit %.2f): measuring again",
                    name, others, options.maxOtherLoad, jit, options.maxJitLoad));
        }
        return excess;
    }

    /** CPU accounting over a window: the server, its companions, this process, the server's core, the machine. */
    private final class Window {
        private final long nanos0 = System.nanoTime();
        private final long server0 = probe.cpuTicks();
        private final long user0 = probe.userTicks();
        private final long companions0 = probe.companionCpuTicks();
        private final long machine0 = ServerProbe.machineBusyTicks();
        private final long self0 = ServerProbe.cpuTicks(selfPid);
        private final long[] core0 = ServerProbe.coreTicks(options.serverCore);
        private final long[] threads0 = probe.threadGroupTicks();
        final long[] threads = new long[4];
        long server;
        long user;
        long companions;
        long machine;
        long self;
        long coreBusy;
        long coreSoftirq;
        double seconds;

        void end() {
            server = probe.cpuTicks() - server0;
            user = probe.userTicks() - user0;
            companions = probe.companionCpuTicks() - companions0;
            machine = ServerProbe.machineBusyTicks() - machine0;
            self = ServerProbe.cpuTicks(selfPid) - self0;
            long[] core1 = ServerProbe.coreTicks(options.serverCore);
            coreBusy = core1[0] - core0[0];
            coreSoftirq = (core1[1] - core0[1]) + (core1[2] - core0[2]);
            long[] threads1 = probe.threadGroupTicks();
            for (int i = 0; i < threads.length; i++) {
                threads[i] = threads1[i] - threads0[i];
            }
            seconds = (System.nanoTime() - nanos0) / 1e9;
        }

        /** The server's CPU by thread group, in cores, as text for the log and the properties. */
        String threadGroups() {
            return String.format("event loops %.2f, JIT %.2f, GC %.2f, other threads %.2f",
                    cores(threads[0]), cores(threads[1]), cores(threads[2]), cores(threads[3]));
        }

        void put(Map<String, String> figures, String name) {
            figures.put(name + ".server_eventloop_cores", String.format("%.3f", cores(threads[0])));
            figures.put(name + ".server_jit_cores", String.format("%.3f", cores(threads[1])));
            figures.put(name + ".server_gc_cores", String.format("%.3f", cores(threads[2])));
            figures.put(name + ".server_other_thread_cores", String.format("%.3f", cores(threads[3])));
        }

        /** Busy ticks of the machine not spent by the server, its companions or this load generator. */
        long others() {
            return Math.max(0, machine - server - companions - self);
        }

        double cores(long ticks) {
            return ticks / (double) options.clockTicks / seconds;
        }
    }

    /**
     * Publish-to-receive latency at a fixed rate, in rounds interleaved over the servers: each round publishes
     * for the warm-up, then records into a fresh histogram for {@code --latency-seconds} (a window disturbed by
     * other processes is repeated as for CPU windows), then checks that every published event reached every
     * subscriber. The figures are over the recorded windows of all rounds together.
     */
    private static void latencyStage(Options options, List<LoadGenerator> generators, String name,
            java.util.function.Function<LoadGenerator, Publisher> publisherOf, double rate, int subscribersPerPublish,
            IntFunction<String> channels) {
        Map<LoadGenerator, Histogram> all = new LinkedHashMap<>();
        Map<LoadGenerator, double[]> worst = new LinkedHashMap<>();
        Map<LoadGenerator, List<Double>> usPerEvent = new LinkedHashMap<>();
        for (int round = 1; round <= options.rounds; round++) {
            for (LoadGenerator g : generators) {
                if (g.results.containsKey(name + ".error")) {
                    continue;
                }
                try {
                    g.log(name + ": " + rate + " publishes/s, round " + round + " of " + options.rounds);
                    LatencyRound result = g.latencyRound(name, publisherOf.apply(g), rate, subscribersPerPublish, channels);
                    all.computeIfAbsent(g, k -> new Histogram(3)).add(result.histogram());
                    double[] w = worst.computeIfAbsent(g, k -> new double[5]);
                    w[0] = Math.max(w[0], result.disturbance());
                    w[1] = Math.max(w[1], result.others());
                    w[2] = Math.max(w[2], result.serverCores());
                    w[3] = Math.max(w[3], result.jitCores());
                    w[4] = Math.max(w[4], result.loadgenCores());
                    usPerEvent.computeIfAbsent(g, k -> new ArrayList<>()).add(result.usPerEvent());
                }
                catch (BenchmarkException | IllegalStateException e) {
                    publisherOf.apply(g).stop();
                    g.failed(name, e);
                }
            }
        }
        all.forEach((g, histogram) -> {
            if (g.results.containsKey(name + ".error")) {
                return;
            }
            double[] w = worst.get(g);
            g.put(name + ".rate", String.format("%.0f", rate));
            g.put(name + ".rounds", options.rounds);
            g.put(name + ".samples", histogram.getTotalCount());
            g.put(name + ".p50_ms", ms(histogram.getValueAtPercentile(50)));
            g.put(name + ".p99_ms", ms(histogram.getValueAtPercentile(99)));
            g.put(name + ".p999_ms", ms(histogram.getValueAtPercentile(99.9)));
            g.put(name + ".max_ms", ms(histogram.getMaxValue()));
            g.put(name + ".mean_ms", String.format("%.3f", histogram.getMean() / 1000));
            g.put(name + ".other_cpu_cores", String.format("%.2f", w[1]));
            g.put(name + ".server_cpu_utilisation", String.format("%.2f", w[2]));
            g.put(name + ".server_jit_cores", String.format("%.3f", w[3]));
            g.put(name + ".loadgen_cpu_utilisation", String.format("%.2f", w[4]));
            List<Double> perEvent = new ArrayList<>(usPerEvent.get(g));
            g.put(name + ".us_per_event_rounds", String.join(" ", perEvent.stream().map(u -> String.format("%.2f", u)).toList()));
            perEvent.sort(null);
            g.put(name + ".us_per_event", String.format("%.3f", perEvent.get((perEvent.size() - 1) / 2)));
            g.put(name + ".disturbed", w[0] > 0);
            g.log(String.format("%s: %d samples over %d rounds: p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms; server CPU per event %s us"
                    + " (median of rounds %s)", name, histogram.getTotalCount(), options.rounds, ms(histogram.getValueAtPercentile(50)),
                    ms(histogram.getValueAtPercentile(99)), ms(histogram.getValueAtPercentile(99.9)), ms(histogram.getMaxValue()),
                    g.results.get(name + ".us_per_event"), g.results.get(name + ".us_per_event_rounds")));
        });
    }

    private record LatencyRound(Histogram histogram, double disturbance, double others, double serverCores, double jitCores,
            double loadgenCores, double usPerEvent) {
    }

    private LatencyRound latencyRound(String name, Publisher publisher, double rate, int subscribersPerPublish, IntFunction<String> channels) {
        Stats.Snapshot start = load.snapshot();
        RedisCommandStats redis0 = redisPort == null ? null : RedisCommandStats.read(redisPort);
        Publisher.PublishCounts p0 = publisher.counts();
        publisher.startRate(rate, channels);
        Publisher.sleep(options.warmupSeconds * 1000L);
        requireAccepted(publisher, name);
        Histogram histogram = null;
        Window chosen = null;
        long chosenEvents = 0;
        int eventsPerRequest = channelsPerRequest(name);
        double bestDisturbance = Double.MAX_VALUE;
        int attempt = 0;
        while (attempt < options.attempts && bestDisturbance > 0) {
            attempt++;
            load.onLoop(() -> {
                load.stats.latency.reset();
                load.stats.recording = true;
                return null;
            });
            Window window = new Window();
            long sent0 = publisher.counts().sent();
            Publisher.sleep(options.latencySeconds * 1000L);
            window.end();
            long events = (publisher.counts().sent() - sent0) * eventsPerRequest;
            Histogram recorded = load.onLoop(() -> {
                load.stats.recording = false;
                return load.stats.latency.copy();
            });
            double disturbance = disturbance(name, window, attempt);
            if (disturbance < bestDisturbance) {
                bestDisturbance = disturbance;
                histogram = recorded;
                chosen = window;
                chosenEvents = events;
            }
        }
        publisher.stop();
        publisher.awaitIdle(10_000);
        awaitQuiet();
        Stats.Snapshot end = load.snapshot();
        Publisher.PublishCounts p1 = publisher.counts();
        if (redis0 != null) {
            RedisCommandStats redis1 = RedisCommandStats.read(redisPort);
            redisPublishCommands += redis1.publishes() - redis0.publishes();
            redisCommands += redis1.total() - redis0.total();
            redisEvents += p1.accepted() - p0.accepted();
            put("redis.publish_commands", redisPublishCommands);
            put("redis.commands", redisCommands);
            put("redis.events", redisEvents);
            put("redis.publish_commands_per_event", String.format(java.util.Locale.ROOT, "%.3f", (double) redisPublishCommands / redisEvents));
            put("redis.commands_per_event", String.format(java.util.Locale.ROOT, "%.3f", (double) redisCommands / redisEvents));
        }
        requireAccepted(publisher, name);
        long expected = (p1.accepted() - p0.accepted()) * subscribersPerPublish;
        long received = end.deliveries() - start.deliveries();
        if (histogram.getTotalCount() == 0) {
            throw new BenchmarkException(name + ": no event was received while recording");
        }
        double usPerEvent = chosenEvents == 0 ? Double.NaN : (double) chosen.server / options.clockTicks * 1e6 / chosenEvents;
        log(String.format("%s: %d samples, p50 %s ms, p99 %s ms, max %s ms; %d of %d deliveries missing; publish backlog max %d;"
                + " server CPU %.2f cores (%s), %.1f us per published event; load generator %.2f cores, other processes %.2f cores",
                name, histogram.getTotalCount(), ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(99)),
                ms(histogram.getMaxValue()), expected - received, expected, p1.backlogMax(),
                chosen.cores(chosen.server), chosen.threadGroups(), usPerEvent, chosen.cores(chosen.self), chosen.cores(chosen.others())));
        if (expected != received) {
            throw new BenchmarkException(name + ": " + (expected - received) + " of " + expected + " deliveries did not arrive");
        }
        put(name + ".missing_deliveries", 0);
        return new LatencyRound(histogram, bestDisturbance, chosen.cores(chosen.others()), chosen.cores(chosen.server),
                chosen.cores(chosen.threads[1]), chosen.cores(chosen.self), usPerEvent);
    }

    /** Events per publish request in a latency stage: {@code latency.batch} sends {@code --batch-size} per request. */
    private int channelsPerRequest(String stage) {
        return stage.equals("latency.batch") ? options.batchSize : 1;
    }

    /** Waits until no more events arrive (the server has written everything it had queued). */
    private void awaitQuiet() {
        long last = -1;
        for (int i = 0; i < 100; i++) {
            long now = load.snapshot().deliveries();
            if (now == last) {
                return;
            }
            last = now;
            Publisher.sleep(200);
        }
        throw new BenchmarkException("events still arriving 20 s after publishing stopped");
    }

    private void requireAccepted(Publisher publisher, String what) {
        Publisher.PublishCounts counts = publisher.counts();
        if (counts.rejected() > 0) {
            throw new BenchmarkException(what + ": " + counts.rejected() + " of " + counts.sent() + " publishes were rejected, first: "
                    + counts.firstRejection());
        }
        if (counts.accepted() == 0) {
            throw new BenchmarkException(what + ": no publish was accepted (" + counts.sent() + " sent)");
        }
    }

    private Publisher publisher() {
        Publisher publisher = new Publisher(load, options.appId, options.key, options.secret, options.dataBytes);
        publisher.open(options.publishConnections);
        return publisher;
    }

    // ---- output ----

    private static String ms(long micros) {
        return String.format("%.3f", micros / 1000.0);
    }

    private void put(String key, Object value) {
        results.put(key, String.valueOf(value));
    }

    private void write() {
        Properties properties = new Properties();
        properties.putAll(results);
        try (OutputStream out = Files.newOutputStream(target.out())) {
            properties.store(out, "vask-bench results for " + target.name());
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot write " + target.out(), e);
        }
    }

    private void log(String message) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " [" + target.name() + "] " + message);
    }

    /** A server to measure: {@code --server NAME,PORT,PID,OUT_FILE[,COMPANION_PATTERN]} (repeatable). */
    record Target(String name, String host, int port, long pid, Path out, @Nullable String companion) {

        static Target parse(String text) {
            String[] parts = text.split(",", 5);
            if (parts.length < 4) {
                throw new IllegalArgumentException("--server NAME,PORT,PID,OUT_FILE[,COMPANION_PATTERN], got " + text);
            }
            return new Target(parts[0], "127.0.0.1", Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Path.of(parts[3]),
                    parts.length > 4 ? parts[4] : null);
        }
    }

    /** Command-line options; every figure's scale is one of them so that {@code --quick} can shrink it. */
    static final class Options {
        List<Target> targets = new ArrayList<>();
        /** {@code --publish-port NAME=PORT}: the target's events are published through another node. */
        Map<String, Integer> publishPorts = new LinkedHashMap<>();
        /** {@code --redis-port NAME=PORT}: the target is a cluster on this Redis. */
        Map<String, Integer> redisPorts = new LinkedHashMap<>();
        String jcmd = "jcmd";
        long clockTicks = 100;
        int serverCore = 0;
        String appId = "1234";
        String key = "bench-key";
        String secret = "bench-secret-value";
        List<String> phases = List.of("warmup", "memory", "fanout", "channels");
        int connections = 15_000;
        int subscribers = 1_000;
        int channels = 4_000;
        /** The fixed fan-out rate: 100 publishes/s to 1,000 subscribers is 100,000 deliveries/s, which every server sustains. */
        double moderateRate = 100;
        double latencyRate = 20;
        double channelsRate = 1_000;
        int saturationInFlight = 4;
        int publishConnections = 8;
        int handshakesInFlight = 200;
        int warmupSeconds = 5;
        int maxWarmupSeconds = 90;
        int windowSeconds = 10;
        int latencySeconds = 10;
        int rounds = 3;
        int settleSeconds = 5;
        int dataBytes = 100;
        int batchSize = 10;
        int attempts = 3;
        double maxOtherLoad = 0.10;
        double maxJitLoad = 0.02;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
                }
                String name = args[i].substring(2);
                String value = args[++i];
                switch (name) {
                    case "server" -> o.targets.add(Target.parse(value));
                    case "publish-port" -> o.publishPorts.put(value.split("=", 2)[0], Integer.parseInt(value.split("=", 2)[1]));
                    case "redis-port" -> o.redisPorts.put(value.split("=", 2)[0], Integer.parseInt(value.split("=", 2)[1]));
                    case "jcmd" -> o.jcmd = value;
                    case "clock-ticks" -> o.clockTicks = Long.parseLong(value);
                    case "server-core" -> o.serverCore = Integer.parseInt(value);
                    case "app-id" -> o.appId = value;
                    case "key" -> o.key = value;
                    case "secret" -> o.secret = value;
                    case "phases" -> o.phases = List.of(value.split(","));
                    case "connections" -> o.connections = Integer.parseInt(value);
                    case "subscribers" -> o.subscribers = Integer.parseInt(value);
                    case "channels" -> o.channels = Integer.parseInt(value);
                    case "moderate-rate" -> o.moderateRate = Double.parseDouble(value);
                    case "latency-rate" -> o.latencyRate = Double.parseDouble(value);
                    case "channels-rate" -> o.channelsRate = Double.parseDouble(value);
                    case "saturation-in-flight" -> o.saturationInFlight = Integer.parseInt(value);
                    case "publish-connections" -> o.publishConnections = Integer.parseInt(value);
                    case "handshakes-in-flight" -> o.handshakesInFlight = Integer.parseInt(value);
                    case "warmup-seconds" -> o.warmupSeconds = Integer.parseInt(value);
                    case "max-warmup-seconds" -> o.maxWarmupSeconds = Integer.parseInt(value);
                    case "window-seconds" -> o.windowSeconds = Integer.parseInt(value);
                    case "latency-seconds" -> o.latencySeconds = Integer.parseInt(value);
                    case "rounds" -> o.rounds = Integer.parseInt(value);
                    case "settle-seconds" -> o.settleSeconds = Integer.parseInt(value);
                    case "data-bytes" -> o.dataBytes = Integer.parseInt(value);
                    case "batch-size" -> o.batchSize = Integer.parseInt(value);
                    case "attempts" -> o.attempts = Integer.parseInt(value);
                    case "max-other-load" -> o.maxOtherLoad = Double.parseDouble(value);
                    case "max-jit-load" -> o.maxJitLoad = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            if (o.targets.isEmpty()) {
                throw new IllegalArgumentException("at least one --server NAME,PORT,PID,OUT_FILE is required");
            }
            o.publishConnections = Math.max(o.publishConnections, o.saturationInFlight);
            return o;
        }
    }
}
