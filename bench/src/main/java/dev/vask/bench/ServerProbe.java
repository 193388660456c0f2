package dev.vask.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads the server process from outside, the way the issue defines the figures: CPU time from
 * {@code /proc/PID/stat} (utime + stime, in clock ticks), resident memory from {@code /proc/PID/status},
 * and the Java heap after a forced full GC through {@code jcmd PID GC.run} and {@code GC.heap_info}.
 */
final class ServerProbe {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final long pid;
    private final String jcmd;
    private final @Nullable String companionPattern;
    final long clockTicksPerSecond;

    ServerProbe(long pid, String jcmd, long clockTicksPerSecond, @Nullable String companionPattern) {
        this.pid = pid;
        this.companionPattern = companionPattern;
        this.jcmd = jcmd;
        this.clockTicksPerSecond = clockTicksPerSecond;
        if (!Files.exists(Path.of("/proc/" + pid + "/stat"))) {
            throw new BenchmarkException("no process " + pid + " (is the server running?)");
        }
    }

    /** utime + stime of the server process (all its threads), in clock ticks. */
    long cpuTicks() {
        return cpuTicks(pid);
    }

    /**
     * utime + stime, in clock ticks, of the server's companion processes: its descendants, and the processes
     * whose command line contains {@code companionPattern} with theirs (the embedded PostgreSQL daemonizes, so
     * it is found by its data directory).
     */
    long companionCpuTicks() {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path entry : proc) {
                long child = Long.parseLong(entry.getFileName().toString());
                String[] fields = statFields(child);
                if (fields != null) {
                    children.computeIfAbsent(Long.parseLong(fields[1]), k -> new ArrayList<>()).add(child);
                }
            }
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot list /proc: " + e.getMessage());
        }
        long total = 0;
        Deque<Long> unvisited = new ArrayDeque<>(children.getOrDefault(pid, List.of()));
        if (companionPattern != null) {
            // the server (--vask.data-dir=...) and this process (--companion ...) carry the pattern too
            long self = ProcessHandle.current().pid();
            children.values().stream().flatMap(List::stream)
                    .filter(p -> p != pid && p != self && commandLine(p).contains(companionPattern))
                    .filter(p -> !commandLine(parent(p)).contains(companionPattern)).forEach(unvisited::add);
        }
        while (!unvisited.isEmpty()) {
            long next = unvisited.pop();
            String[] fields = statFields(next);
            if (fields != null) {
                total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
            unvisited.addAll(children.getOrDefault(next, List.of()));
        }
        return total;
    }

    /** Busy clock ticks of the whole machine (all cores), from the first line of /proc/stat. */
    static long machineBusyTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return busy;
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot read /proc/stat: " + e.getMessage());
        }
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
        }
        catch (IOException e) {
            return "";
        }
    }

    private static long parent(long pid) {
        String[] fields = statFields(pid);
        return fields == null ? 0 : Long.parseLong(fields[1]);
    }

    /**
     * utime + stime of the server's threads in four groups, in clock ticks: {@code [event loops, JIT compiler,
     * GC and VM thread, the rest]}. Shows whether a window measured the steady state (the JIT done) or not.
     */
    long[] threadGroupTicks() {
        long[] groups = new long[4];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                }
                catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                int group = name.startsWith("reactor-http") || name.startsWith("reactor-tcp") || name.startsWith("multiThreadIo") || name.contains("EventLoop") ? 0
                        : name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? 1
                        : name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread") ? 2 : 3;
                groups[group] += ticks;
            }
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot list /proc/" + pid + "/task: " + e.getMessage());
        }
        return groups;
    }

    /** utime of the server process alone (the Java side; the rest of {@link #cpuTicks()} is the kernel's). */
    long userTicks() {
        String[] fields = statFields(pid);
        if (fields == null) {
            throw new BenchmarkException("process " + pid + " is gone");
        }
        return Long.parseLong(fields[11]);
    }

    /**
     * Ticks of one core from its /proc/stat line: {@code [busy, softirq, irq]}. On loopback the kernel does the
     * receiving side's TCP work in softirq context on the sending core, and that time is not in the sender's
     * utime/stime, so the server's core is busier than the server's own figure.
     */
    static long[] coreTicks(int core) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu" + core + " ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    for (int i = 1; i < f.length && i <= 8; i++) {
                        if (i != 4 && i != 5) {
                            busy += Long.parseLong(f[i]);
                        }
                    }
                    return new long[] {busy, Long.parseLong(f[7]), Long.parseLong(f[6])};
                }
            }
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot read /proc/stat: " + e.getMessage());
        }
        throw new BenchmarkException("no cpu" + core + " in /proc/stat");
    }

    static long cpuTicks(long pid) {
        String[] fields = statFields(pid);
        if (fields == null) {
            throw new BenchmarkException("process " + pid + " is gone");
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The fields of /proc/PID/stat after the command name: [0] is field 3 (state), [11] utime, [12] stime. */
    private static String @Nullable [] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        }
        catch (IOException e) {
            return null;
        }
    }

    /** Resident set size of the server process, in kilobytes. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot read /proc/" + pid + "/status: " + e.getMessage());
        }
        throw new BenchmarkException("no VmRSS in /proc/" + pid + "/status");
    }

    /** Forces two full GCs, then returns the used heap in kilobytes as GC.heap_info reports it. */
    long heapUsedAfterGcKb() {
        jcmd("GC.run");
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new BenchmarkException("no 'used NK' in GC.heap_info output: " + info);
        }
        return Long.parseLong(used.group(1));
    }

    /** Writes {@code jcmd PID GC.class_histogram} to the file (for explaining a memory figure). */
    void classHistogram(Path file) {
        try {
            Files.writeString(file, jcmd("GC.class_histogram"));
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot write " + file + ": " + e.getMessage());
        }
    }

    String jcmd(String command) {
        try {
            Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new BenchmarkException("jcmd " + pid + " " + command + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot run " + jcmd + ": " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted");
        }
    }
}
