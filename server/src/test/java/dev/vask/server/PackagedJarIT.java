package dev.vask.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar, started and stopped the way an operator does (java -jar, then SIGTERM): it comes up
 * on its embedded database, and on SIGTERM shuts down in order, the embedded PostgreSQL last, so that the
 * final usage flush and the app change feed never see the database vanish under them.
 */
class PackagedJarIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void jarStartsOnTheEmbeddedDefaultAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path log = dir.resolve("vask.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder command = new ProcessBuilder(java, "-jar", System.getProperty("vask.server.jar"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        command.environment().put("VASK_PORT", Integer.toString(port));
        Process vask = command.start();
        try {
            String readiness = "http://127.0.0.1:" + port + "/actuator/health/readiness";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.readString(log).contains("Vask is ready."));
            assertThat(Files.readString(log)).contains("Netty started on port " + port);
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(readiness)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(Files.exists(dir.resolve(".vask/data/master.key"))).isTrue();
        }
        finally {
            vask.destroy(); // SIGTERM
            assertThat(vask.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        }
        String output = Files.readString(log);
        assertThat(output).contains("Graceful shutdown complete")
                .doesNotContain("Final usage flush failed")
                .doesNotContain("Could not write usage")
                .doesNotContain("App change feed lost its database connection");
        // nothing of PostgreSQL keeps running once Vask is gone
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir.toString())
                && p.info().commandLine().orElse("").contains("postgres")).count()).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
