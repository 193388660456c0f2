package dev.vask.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A {@code redis-server} process of the tests' own, from the binary on the PATH: on a free port of
 * 127.0.0.1, in a temporary directory, persisting nothing. It can be stopped and started again on the same
 * port, as an outage test needs, and is killed when the JVM exits.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final int port;
    private final Path directory;
    private final List<String> extraArguments;
    private @Nullable Process process;

    private RedisServerProcess(int port, Path directory, List<String> extraArguments) {
        this.port = port;
        this.directory = directory;
        this.extraArguments = extraArguments;
        Runtime.getRuntime().addShutdownHook(new Thread(this::kill, "vask-test-redis-" + port));
    }

    /** Starts one on a free port; fails with what to install when there is no redis-server. */
    public static RedisServerProcess launch(String... extraArguments) {
        try {
            RedisServerProcess server = new RedisServerProcess(freePort(), Files.createTempDirectory("vask-test-redis"),
                    List.of(extraArguments));
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean binaryAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "redis-server"))) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Path directory() {
        return directory;
    }

    /** Starts the server (again) on its port and waits until it answers PING. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--dir", directory.toString(),
                "--logfile", directory.resolve("redis.log").toString()));
        command.addAll(extraArguments);
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        catch (IOException e) {
            throw new IllegalStateException(TestRedis.MISSING, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answers(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on port " + port + "; see " + directory.resolve("redis.log"));
            }
            sleep(Duration.ofMillis(20));
        }
    }

    /** Kills the server at once (no save, no goodbye to clients), as a crash or a cut cable would. */
    public synchronized void stop() {
        kill();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (answers(port) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Sends one command in Redis's inline form and returns the first line of the answer. */
    public String command(String inline) {
        return TestRedis.command("127.0.0.1", port, inline);
    }

    @Override
    public void close() {
        kill();
    }

    private synchronized void kill() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.destroyForcibly();
            try {
                running.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int read = in.read(buffer);
            return read > 0 && new String(buffer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
        catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
