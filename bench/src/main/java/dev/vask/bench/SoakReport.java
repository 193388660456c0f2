package dev.vask.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The soak's verdict, written as {@code samples.csv} (one line per sample) and {@code summary.md}: each series
 * after the warm-up tested by {@link Trend}, native memory's changes, what was counted lost, and the checks
 * at the end. Passes when no series rises and nothing was lost.
 */
final class SoakReport {

    /** The series tested for a trend, by their column in the samples. */
    static final List<String> SERIES = List.of("heap_after_gc_kb", "rss_kb", "open_fds", "eventloop_pending_tasks_max");

    private static final Pattern COMMITTED_CHANGE = Pattern.compile(
            "(?m)^(?:-\\s+)?(Total|[A-Z][A-Za-z ]*?)\\s*(?::\\s*|\\()reserved=\\d+KB(?: [+-]\\d+KB)?, committed=\\d+KB ([+-]\\d+)KB");

    private final int minutes;
    private final String mix;
    private final int sampleSeconds;
    private final int warmupMinutes;
    private final List<Map<String, String>> samples;

    SoakReport(int minutes, String mix, int sampleSeconds, int warmupMinutes, List<Map<String, String>> samples) {
        this.minutes = minutes;
        this.mix = mix;
        this.sampleSeconds = sampleSeconds;
        this.warmupMinutes = warmupMinutes;
        this.samples = samples;
    }

    /** Writes both files into {@code out}, prints the summary, and answers whether the soak passed. */
    boolean write(Path out, SoakLedger.Counts c, @Nullable String firstProblem, Map<String, String> end, @Nullable String nativeMemoryDiff)
            throws IOException {
        List<String> columns = new ArrayList<>(samples.getFirst().keySet());
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, String> sample : samples) {
            csv.append(String.join(",", columns.stream().map(sample::get).toList())).append('\n');
        }
        Files.writeString(out.resolve("samples.csv"), csv);

        StringBuilder md = new StringBuilder();
        md.append("# Soak: ").append(minutes).append(" minutes\n\n");
        md.append("Load: ").append(mix).append(String.format(Locale.ROOT, ". Samples every %d s; the first %d minutes are warm-up"
                + " and not tested for a trend.%n%n", sampleSeconds, warmupMinutes));
        boolean flat = flat(md);
        if (nativeMemoryDiff != null) {
            md.append("\nNative memory committed since the end of the warm-up (native memory tracking, `nmt-diff.txt`), where it changed:\n\n");
            md.append("| JVM part | change |\n| --- | ---: |\n");
            committedChanges(nativeMemoryDiff).forEach((part, kb) -> md.append(String.format(Locale.ROOT, "| %s | %+d KB |%n", part, kb)));
        }
        long problems = c.lostEvents() + c.lostClientEvents() + c.disordered() + c.memberAnomalies() + c.unexpectedCloses() + c.errors()
                + c.rejected();
        lost(md, c);
        md.append("\n## At the end\n\n| Check | |\n| --- | --- |\n");
        end.forEach((label, value) -> md.append("| ").append(label).append(" | ").append(value).append(" |\n"));
        if (firstProblem != null) {
            md.append("\nFirst problem: ").append(firstProblem).append('\n');
        }
        boolean pass = flat && problems == 0;
        md.append("\n**").append(pass ? "PASS" : "FAIL").append("**: ").append(flat ? "every series flat" : "a series rises")
                .append(", ").append(problems == 0 ? "nothing lost" : problems + " problems").append(".\n");
        Files.writeString(out.resolve("summary.md"), md);
        System.out.println(md);
        return pass;
    }

    /** The "Flat?" table; true when no series rises. */
    private boolean flat(StringBuilder md) {
        List<Map<String, String>> steady = samples.stream()
                .filter(s -> Integer.parseInt(s.get("minute")) > warmupMinutes * 60 / sampleSeconds).toList();
        md.append("## Flat?\n\n");
        md.append("| Series | first | last | median | Sen slope / min | trend over the span | noise (σ) | threshold | Mann-Kendall p | Verdict |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        double[] t = steady.stream().mapToDouble(s -> Double.parseDouble(s.get("minute")) * sampleSeconds / 60).toArray();
        boolean flat = true;
        for (String series : SERIES) {
            double[] y = steady.stream().mapToDouble(s -> Double.parseDouble(s.get(series))).toArray();
            if (y.length < 3) {
                md.append("| ").append(series).append(" | too few samples after the warm-up |||||||| NOT TESTED |\n");
                flat = false;
                continue;
            }
            Trend trend = Trend.of(t, y, resolution(series));
            flat &= !trend.rising();
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %+.1f | %+.0f | %.1f | %.0f | %.4f | %s |%n", series, y[0],
                    y[y.length - 1], Trend.median(y), trend.slopePerUnit(), trend.growth(), trend.noise(), trend.threshold(), trend.pRising(),
                    trend.rising() ? "RISING" : "flat"));
        }
        return flat;
    }

    private static void lost(StringBuilder md, SoakLedger.Counts c) {
        md.append("\n## Lost?\n\n| Count | |\n| --- | ---: |\n");
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("client connections (connection_established)", c.connects());
        rows.put("clients that left (close frame, TCP close, unsubscribe first)", c.leaves());
        rows.put("moves to another channel", c.resubscribes());
        rows.put("HTTP events published / accepted / refused", c.published() + " / " + c.accepted() + " / " + c.rejected());
        rows.put("HTTP events delivered", c.deliveries());
        rows.put("**HTTP events lost** (a gap, or acknowledged and not received within 5 s while subscribed)", c.lostEvents());
        rows.put("end-of-subscription checks (every acknowledged event received before leaving)", c.tailChecks());
        rows.put("client events sent / received", c.clientEventsSent() + " / " + c.clientEventsReceived());
        rows.put("**client events lost** (gaps from a sender)", c.lostClientEvents());
        rows.put("**events twice or out of order**", c.disordered());
        rows.put("presence member events", c.memberEvents());
        rows.put("**presence anomalies** (twice added, absent removed, views differing from the server)", c.memberAnomalies());
        rows.put("**sockets closed by the server**", c.unexpectedCloses());
        rows.put("**errors** (pusher:error, unexpected frames, failed connects, mismatches below)", c.errors());
        rows.forEach((label, value) -> md.append("| ").append(label).append(" | ").append(value).append(" |\n"));
    }

    /** The smallest change each series can show: below it a "trend" is the measurement's own granularity. */
    static double resolution(String series) {
        return switch (series) {
            case "heap_after_gc_kb" -> 1024;  // 1 MiB: G1 region-sized reporting and TLAB remnants
            case "rss_kb" -> 4096;            // 4 MiB: glibc arenas and Netty's pooled chunks move in such steps
            case "open_fds" -> 8;             // a handful of sockets opening or closing at the sampling instant
            default -> 16;                    // tasks a loop queues in one burst
        };
    }

    /** The parts of {@code jcmd VM.native_memory summary.diff} whose committed memory changed, in KB. */
    static Map<String, Long> committedChanges(String diff) {
        Map<String, Long> changes = new LinkedHashMap<>();
        Matcher line = COMMITTED_CHANGE.matcher(diff);
        while (line.find()) {
            changes.put(line.group(1).strip(), Long.parseLong(line.group(2)));
        }
        return changes;
    }
}
