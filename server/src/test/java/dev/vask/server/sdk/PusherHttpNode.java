package dev.vask.server.sdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official Node.js server SDK (npm {@code pusher}), installed from the committed lockfile into {@code target/},
 * run one method at a time by {@code sdk.js}: what a backend in another language does against Vask.
 */
public final class PusherHttpNode {

    private static final Path SOURCES = Path.of("src", "test", "node", "pusher-http-node");
    private static final Path INSTALLED = Path.of("target", "pusher-http-node");
    private static final Gson JSON = new Gson();

    private PusherHttpNode() {
    }

    /** npm ci into target/, from the committed package.json and lockfile: the same SDK on every machine. */
    public static synchronized void install() throws Exception {
        Files.createDirectories(INSTALLED);
        for (String file : List.of("package.json", "package-lock.json", "sdk.js")) {
            Files.copy(SOURCES.resolve(file), INSTALLED.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(INSTALLED.resolve("node_modules/pusher"))) {
            return;
        }
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(INSTALLED.toFile())
                    .redirectErrorStream(true).start();
        }
        catch (IOException e) {
            throw new IllegalStateException("The Node.js SDK tests need Node.js and npm (Debian: apt-get install -y nodejs npm)", e);
        }
        String output = new String(npm.getInputStream().readAllBytes());
        assertThat(npm.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(npm.exitValue()).as("npm ci of the Node.js SDK:%n%s", output).isZero();
    }

    /**
     * Runs one SDK method in Node with these constructor options; answers {@code {status, body}} for HTTP calls
     * (errors included) and {@code {value}} for local ones such as signing.
     */
    public static JsonObject call(Map<String, Object> options, String method, Object... arguments) {
        try {
            Path errors = Files.createTempFile(INSTALLED.toAbsolutePath(), "stderr", ".txt");
            Process node = new ProcessBuilder("node", "sdk.js", JSON.toJson(options), method, JSON.toJson(arguments))
                    .directory(INSTALLED.toFile()).redirectError(errors.toFile()).start();
            String output = new String(node.getInputStream().readAllBytes());
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).as("node sdk.js %s failed:%n%s", method, Files.readString(errors)).isZero();
            Files.delete(errors);
            return JsonParser.parseString(output).getAsJsonObject();
        }
        catch (IOException e) {
            throw new IllegalStateException("Could not run node: the Node.js SDK tests need Node.js 18 or later on the PATH", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
