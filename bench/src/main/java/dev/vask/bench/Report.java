package dev.vask.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Prints the servers side by side with the targets: Vask against the strong bare-Netty yardstick (ratio or
 * difference, target, PASS/FAIL), plus any extra server (the naive bare-Netty and the WebFlux yardsticks) for information. Writes the
 * same table as Markdown for docs/performance.md.
 * Usage: {@code Report YARDSTICK_FILE SUBJECT_FILE [EXTRA_FILE...] --markdown OUT.md}. Exit status: 0 every
 * target met, 2 a target missed, 1 a figure could not be measured.
 */
public final class Report {

    /**
     * RATIO and DIFFERENCE compare the subject with the yardstick; SELF_RATIO compares two of the subject's own
     * figures ({@code key} over {@code baseKey}), and prints that ratio for every server.
     */
    private enum Kind { RATIO, DIFFERENCE, EXACT, INFO, SELF_RATIO }

    private record Row(String label, String key, String unit, Kind kind, double limit, int decimals, @Nullable String baseKey) {
        Row(String label, String key, String unit, Kind kind, double limit, int decimals) {
            this(label, key, unit, kind, limit, decimals, null);
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row("Heap after GC per idle subscribed connection", "memory.heap_per_connection_bytes", "B", Kind.RATIO, 1.3, 0),
            new Row("RSS growth per idle subscribed connection", "memory.rss_per_connection_bytes", "B", Kind.INFO, 0, 0),
            new Row("Time to connect and subscribe all of them", "memory.connect_seconds", "s", Kind.INFO, 0, 1),
            new Row("CPU per delivery, fixed rate", "cpu.moderate.us_per_delivery", "us", Kind.RATIO, 1.1, 2),
            new Row("  deliveries/s in that window", "cpu.moderate.deliveries_per_second", "", Kind.INFO, 0, 0),
            new Row("  server CPU, cores", "cpu.moderate.server_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("  load generator CPU, cores", "cpu.moderate.loadgen_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("CPU per delivery, saturation", "cpu.saturation.us_per_delivery", "us", Kind.RATIO, 1.15, 2),
            new Row("  deliveries/s in that window", "cpu.saturation.deliveries_per_second", "", Kind.INFO, 0, 0),
            new Row("  server CPU, cores", "cpu.saturation.server_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("  load generator CPU, cores", "cpu.saturation.loadgen_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("Latency p50, one channel x subscribers", "latency.fanout.p50_ms", "ms", Kind.INFO, 0, 2),
            new Row("Latency p99, one channel x subscribers", "latency.fanout.p99_ms", "ms", Kind.DIFFERENCE, 5, 2),
            new Row("  p99.9", "latency.fanout.p999_ms", "ms", Kind.INFO, 0, 2),
            new Row("  max", "latency.fanout.max_ms", "ms", Kind.INFO, 0, 2),
            new Row("  server CPU, cores (most of any round)", "latency.fanout.server_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("  load generator CPU, cores (most of any round)", "latency.fanout.loadgen_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("Publish: server CPU per event, channels x 2 subscribers, /events", "latency.channels.us_per_event", "us",
                    Kind.RATIO, 1.5, 1),
            new Row("  latency p50", "latency.channels.p50_ms", "ms", Kind.INFO, 0, 2),
            new Row("  latency p99", "latency.channels.p99_ms", "ms", Kind.DIFFERENCE, 1, 2),
            new Row("  p99.9", "latency.channels.p999_ms", "ms", Kind.INFO, 0, 2),
            new Row("  max", "latency.channels.max_ms", "ms", Kind.INFO, 0, 2),
            new Row("  server CPU, cores (most of any round)", "latency.channels.server_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("  load generator CPU, cores (most of any round)", "latency.channels.loadgen_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("Publish: server CPU per event, /batch_events", "latency.batch.us_per_event", "us", Kind.INFO, 0, 1),
            new Row("  batch per-event cost vs single events (same server)", "latency.batch.us_per_event", "",
                    Kind.SELF_RATIO, 1.2, 2, "latency.channels.us_per_event"),
            new Row("  latency p99", "latency.batch.p99_ms", "ms", Kind.INFO, 0, 2),
            new Row("  server CPU, cores (most of any round)", "latency.batch.server_cpu_utilisation", "", Kind.INFO, 0, 2),
            new Row("  load generator CPU, cores (most of any round)", "latency.batch.loadgen_cpu_utilisation", "", Kind.INFO, 0, 2));

    /** Two Vask nodes (subscribers on B, publisher on A, Redis between) against single-node Vask: issue 12's targets. */
    private static final List<Row> CLUSTER_ROWS = List.of(
            new Row("Heap after GC per idle subscribed connection (receiving node)", "memory.heap_per_connection_bytes", "B", Kind.RATIO, 1.05, 0),
            new Row("RSS growth per idle subscribed connection", "memory.rss_per_connection_bytes", "B", Kind.INFO, 0, 0),
            new Row("CPU per delivery on the receiving node, fixed rate", "cpu.moderate.us_per_delivery", "us", Kind.RATIO, 1.1, 2),
            new Row("  deliveries/s in that window", "cpu.moderate.deliveries_per_second", "", Kind.INFO, 0, 0),
            new Row("CPU per delivery on the receiving node, saturation", "cpu.saturation.us_per_delivery", "us", Kind.INFO, 0, 2),
            new Row("  deliveries/s in that window", "cpu.saturation.deliveries_per_second", "", Kind.INFO, 0, 0),
            new Row("Latency p50, one channel x subscribers", "latency.fanout.p50_ms", "ms", Kind.INFO, 0, 2),
            new Row("Latency p99, one channel x subscribers", "latency.fanout.p99_ms", "ms", Kind.DIFFERENCE, 2, 2),
            new Row("  p99.9", "latency.fanout.p999_ms", "ms", Kind.INFO, 0, 2),
            new Row("  max", "latency.fanout.max_ms", "ms", Kind.INFO, 0, 2),
            new Row("Redis PUBLISH commands per published event", "redis.publish_commands_per_event", "", Kind.EXACT, 1, 3),
            new Row("  every Redis command per published event (heartbeats, counts included)", "redis.commands_per_event", "", Kind.INFO, 0, 3));

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        Path markdown = null;
        List<Row> rows = ROWS;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--markdown")) {
                markdown = Path.of(args[++i]);
            }
            else if (args[i].equals("--cluster")) {
                rows = CLUSTER_ROWS;
            }
            else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.size() < 2) {
            System.err.println("usage: Report YARDSTICK.properties SUBJECT.properties [EXTRA.properties...] [--markdown OUT.md]");
            System.exit(64);
        }
        Map<String, Properties> servers = new LinkedHashMap<>();
        for (Path file : files) {
            Properties properties = new Properties();
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
            }
            servers.put(properties.getProperty("target", file.getFileName().toString()), properties);
        }
        List<String> names = new ArrayList<>(servers.keySet());
        Properties yardstick = servers.get(names.get(0));
        Properties subject = servers.get(names.get(1));

        int missing = 0;
        int missed = 0;
        boolean anyDisturbed = false;
        List<String[]> table = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("figure"));
        names.forEach(header::add);
        header.addAll(List.of(names.get(1) + " vs " + names.get(0), "target", "result"));
        table.add(header.toArray(String[]::new));
        for (Row row : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(row.label() + (row.unit().isEmpty() ? "" : " (" + row.unit() + ")"));
            for (String name : names) {
                Properties server = servers.get(name);
                Double value = row.kind() == Kind.SELF_RATIO ? selfRatio(server, row) : number(server, row.key());
                String prefix = row.key().substring(0, row.key().lastIndexOf('.'));
                boolean disturbed = "true".equals(server.getProperty(prefix + ".disturbed"));
                anyDisturbed |= disturbed && value != null;
                cells.add(value == null ? "not measured" : format(value, row.decimals()) + (disturbed ? "*" : ""));
            }
            Double base = number(yardstick, row.key());
            Double mine = number(subject, row.key());
            if (row.kind() == Kind.INFO) {
                cells.addAll(List.of("", "", ""));
            }
            else if (row.kind() == Kind.SELF_RATIO) {
                Double ratio = selfRatio(subject, row);
                if (ratio == null) {
                    missing++;
                    cells.addAll(List.of("-", target(row), "NOT MEASURED"));
                }
                else {
                    boolean pass = ratio <= row.limit();
                    missed += pass ? 0 : 1;
                    cells.addAll(List.of("", target(row), pass ? "PASS" : "FAIL"));
                }
            }
            else if (row.kind() == Kind.EXACT) {
                if (mine == null) {
                    missing++;
                    cells.addAll(List.of("-", target(row), "NOT MEASURED"));
                }
                else {
                    boolean pass = Math.abs(mine - row.limit()) < 1e-9;
                    missed += pass ? 0 : 1;
                    cells.addAll(List.of("", target(row), pass ? "PASS" : "FAIL"));
                }
            }
            else if (base == null || mine == null) {
                missing++;
                cells.addAll(List.of("-", target(row), "NOT MEASURED"));
            }
            else if (row.kind() == Kind.RATIO) {
                double ratio = base == 0 ? Double.POSITIVE_INFINITY : mine / base;
                boolean pass = ratio <= row.limit();
                missed += pass ? 0 : 1;
                cells.addAll(List.of(String.format(Locale.ROOT, "%.2fx", ratio), target(row), pass ? "PASS" : "FAIL"));
            }
            else {
                double difference = mine - base;
                boolean pass = difference <= row.limit();
                missed += pass ? 0 : 1;
                cells.addAll(List.of(String.format(Locale.ROOT, "%+.2f ms", difference), target(row), pass ? "PASS" : "FAIL"));
            }
            table.add(cells.toArray(String[]::new));
        }
        print(table);
        List<String> notes = new ArrayList<>();
        for (String name : names) {
            Properties p = servers.get(name);
            p.stringPropertyNames().stream().sorted().filter(k -> k.endsWith(".error") || k.startsWith("first_")
                    || (k.equals("unexpected_closes") && !"0".equals(p.getProperty(k))))
                    .forEach(k -> notes.add(name + ": " + k + " = " + p.getProperty(k)));
            if ("false".equals(p.getProperty("cpu.moderate.sustained"))) {
                notes.add(name + ": did NOT sustain the fixed rate (" + p.getProperty("cpu.moderate.deliveries_per_second")
                        + " deliveries/s): its fixed-rate figure is not comparable");
            }
            for (String stage : List.of("cpu.moderate", "cpu.saturation", "latency.channels", "latency.batch")) {
                String rounds = p.getProperty(stage + (stage.startsWith("cpu") ? ".us_per_delivery_rounds" : ".us_per_event_rounds"));
                if (rounds != null) {
                    notes.add(name + ": " + stage + " rounds (us): " + rounds);
                }
            }
            List<String> others = new ArrayList<>();
            for (String window : List.of("cpu.moderate", "cpu.saturation", "latency.fanout", "latency.channels", "latency.batch")) {
                if (p.getProperty(window + ".other_cpu_cores") != null) {
                    others.add(window + " " + p.getProperty(window + ".other_cpu_cores") + " (server JIT "
                            + p.getProperty(window + ".server_jit_cores", "?") + ")");
                }
            }
            if (!others.isEmpty()) {
                notes.add(name + ": cores used by other processes in the windows kept (the most of any round): " + String.join(", ", others));
            }
        }
        if (anyDisturbed) {
            notes.add("* in at least one round every attempt was disturbed (other processes above --max-other-load, or the server's"
                    + " JIT still compiling); the least disturbed attempt of that round was kept: run again on a quieter machine");
        }
        notes.forEach(n -> System.out.println("  " + n));
        String verdict = missing > 0 ? missing + " target figure(s) NOT MEASURED"
                : missed > 0 ? missed + " target(s) MISSED" : "every target met";
        System.out.println();
        System.out.println("Result: " + verdict);
        if (markdown != null) {
            writeMarkdown(markdown, table, notes, verdict);
        }
        System.exit(missing > 0 ? 1 : missed > 0 ? 2 : 0);
    }

    private static @Nullable Double selfRatio(Properties server, Row row) {
        Double value = number(server, row.key());
        Double base = row.baseKey() == null ? null : number(server, row.baseKey());
        return value == null || base == null || base == 0 ? null : value / base;
    }

    private static String target(Row row) {
        return switch (row.kind()) {
            case RATIO, SELF_RATIO -> String.format(Locale.ROOT, "<= %.2fx", row.limit());
            case EXACT -> String.format(Locale.ROOT, "= %.0f", row.limit());
            default -> String.format(Locale.ROOT, "<= +%.0f ms", row.limit());
        };
    }

    private static @Nullable Double number(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            return null;
        }
        try {
            return Double.parseDouble(value);
        }
        catch (NumberFormatException e) {
            return null;
        }
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static void print(List<String[]> table) {
        int columns = table.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : table) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : table) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row[c];
                line.append(c == 0 ? String.format("%-" + widths[c] + "s", cell) : String.format("%" + widths[c] + "s", cell)).append("  ");
            }
            System.out.println(line.toString().stripTrailing());
        }
    }

    private static void writeMarkdown(Path file, List<String[]> table, List<String> notes, String verdict) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < table.size(); r++) {
            out.append("| ").append(String.join(" | ", table.get(r))).append(" |\n");
            if (r == 0) {
                out.append("|").append(" --- |".repeat(table.get(0).length)).append('\n');
            }
        }
        out.append('\n');
        notes.forEach(n -> out.append("- ").append(n).append('\n'));
        out.append("\nResult: ").append(verdict).append('\n');
        Files.writeString(file, out);
    }
}
