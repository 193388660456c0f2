package dev.vask.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.pusher.rest.Pusher;
import dev.vask.testing.sdk.Subscriber;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar, started and stopped the way an operator does (java -jar, then SIGTERM): it comes up
 * on its embedded database, and on SIGTERM shuts down in order, the embedded PostgreSQL last, so that the
 * final usage flush and the app change feed never see the database vanish under them. The flush's counts are read
 * back from the database the jar left behind.
 */
class PackagedJarIT {

    private static final String APP_ID = "7070";
    private static final String KEY = "packaged-app-key";
    private static final String SECRET = "packaged-app-secret-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void jarStartsOnTheEmbeddedDefaultAndStopsCleanlyOnSigtermWritingItsLastUsage(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path log = dir.resolve("vask.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder command = new ProcessBuilder(java, "-jar", System.getProperty("vask.server.jar"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        command.environment().put("VASK_PORT", Integer.toString(port));
        command.environment().put("VASK_BOOTSTRAP_APP_ID", APP_ID);
        command.environment().put("VASK_BOOTSTRAP_APP_KEY", KEY);
        command.environment().put("VASK_BOOTSTRAP_APP_SECRET", SECRET);
        // no periodic flush within the test: whatever usage reaches the database, the flush at shutdown wrote
        command.environment().put("VASK_USAGE_FLUSH_INTERVAL", "1h");
        Process vask = command.start();
        try {
            String readiness = "http://127.0.0.1:" + port + "/actuator/health/readiness";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.readString(log).contains("Vask is ready."));
            assertThat(Files.readString(log)).contains("Netty started on port " + port);
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(readiness)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(Files.exists(dir.resolve(".vask/data/master.key"))).isTrue();

            // usage to count: one socket, seven events published to it and delivered
            try (Subscriber subscriber = Subscriber.connect(port, KEY).subscribe("counted", "e")) {
                Pusher backend = new Pusher(APP_ID, KEY, SECRET);
                backend.setHost("127.0.0.1:" + port);
                backend.setEncrypted(false);
                for (int i = 0; i < 7; i++) {
                    assertThat(backend.trigger("counted", "e", Map.of("i", i)).getHttpStatus()).isEqualTo(200);
                }
                for (int i = 0; i < 7; i++) {
                    assertThat(subscriber.next().getData()).isEqualTo("{\"i\":" + i + "}");
                }
                backend.close();
            }
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

        // the database Vask left behind holds the counts of its last flush, and no report of its sockets
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve(".vask/data/postgres"))
                .setCleanDataDirectory(false).start();
                Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet usage = statement.executeQuery("select peak_connections, api_messages, deliveries from app_usage_daily "
                    + "where app_id = " + APP_ID + " and day = (now() at time zone 'utc')::date")) {
                assertThat(usage.next()).as("a usage row for today, written at shutdown").isTrue();
                assertThat(usage.getLong("api_messages")).isEqualTo(7);
                assertThat(usage.getLong("deliveries")).isEqualTo(7);
                assertThat(usage.getLong("peak_connections")).isEqualTo(1);
            }
            try (ResultSet nodes = statement.executeQuery("select count(*) from app_node_connections")) {
                nodes.next();
                assertThat(nodes.getInt(1)).as("a stopped node's socket reports").isZero();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
