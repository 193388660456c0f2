package dev.vask.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable server on its embedded default, started twice on one data directory the way an
 * operator restarts it: nothing is lost, nothing is created twice, secrets are printed once.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServerStartTests {

    private static final Pattern SECRET = Pattern.compile("App secret:\\s+([0-9a-f]{32})");
    private static final Pattern KEY = Pattern.compile("App key:\\s+(\\S+)");
    private static final Pattern PASSWORD = Pattern.compile("Admin login:\\s+\\S+ / (\\S+)");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void embeddedDefaultKeepsTheDemoAppAcrossRestartsAndPrintsItsSecretOnlyOnce(@TempDir Path dataDir, CapturedOutput output)
            throws Exception {
        String key;
        String secret;
        String password;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            String printed = output.getOut();
            assertThat(printed).contains("First start: created a tenant, an admin account and a demo app.");
            key = find(KEY, printed);
            secret = find(SECRET, printed);
            password = find(PASSWORD, printed);
            AppConfig app = first.getBean(AppDirectory.class).findByKey(key).block(Duration.ofSeconds(5));
            assertThat(app).isNotNull();
            assertThat(app.credential(key).orElseThrow().secret()).isEqualTo(secret);
            assertThat(get(first, "/actuator/health/readiness")).contains("\"status\":\"UP\"")
                    .contains("\"databaseSchema\"").contains("\"r2dbc\"").contains("\"readinessState\"");
            assertThat(get(first, "/actuator/health/liveness")).contains("\"status\":\"UP\"");
        }
        Path masterKey = dataDir.resolve("master.key");
        assertThat(Files.getPosixFilePermissions(masterKey)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String masterKeyBefore = Files.readString(masterKey);
        int printedBefore = output.getOut().length();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            String printed = output.getOut().substring(printedBefore);
            assertThat(printed).contains("Vask is ready.").contains("App key:     " + key)
                    .doesNotContain("First start").doesNotContain(secret).doesNotContain(password);
            AppConfig app = second.getBean(AppDirectory.class).findByKey(key).block(Duration.ofSeconds(5));
            assertThat(app).isNotNull();
            assertThat(app.credential(key).orElseThrow().secret()).isEqualTo(secret);
        }
        assertThat(Files.readString(masterKey)).isEqualTo(masterKeyBefore);
        // the secret reached standard output once, on the first start, and never a log line
        assertThat(output.getAll().split(Pattern.quote(secret), -1)).hasSize(2);
    }

    @Test
    void unreachableDatabaseUrlFailsFastWithAClearMessageAndNoStackTraceWall(CapturedOutput output) {
        long start = System.nanoTime();
        ConfigurableApplicationContext context = null;
        Throwable failure = null;
        try {
            context = new SpringApplicationBuilder(VaskApplication.class)
                    .run("--server.port=0", "--vask.database-url=postgres://vask:hunter2@127.0.0.1:1/vask",
                            "--vask.master-key=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
        }
        catch (RuntimeException e) {
            failure = e;
        }
        finally {
            if (context != null) {
                context.close();
            }
        }
        assertThat(failure).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(output.getAll())
                .contains("Vask cannot connect to its database vask@127.0.0.1:1/vask: connection refused.")
                .contains("Check that PostgreSQL is running and reachable at that host and port")
                .doesNotContain("hunter2");
        long stackLines = output.getAll().lines().filter(line -> line.startsWith("\tat ")).count();
        assertThat(stackLines).isZero();
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        // command-line arguments, as an operator would pass them: they outrank application.yml
        return new SpringApplicationBuilder(VaskApplication.class)
                .run("--server.port=0", "--vask.data-dir=" + dataDir, "--management.endpoint.health.show-components=always");
    }

    private String get(ConfigurableApplicationContext context, String path) throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("output contains " + pattern).isTrue();
        return matcher.group(1);
    }
}
