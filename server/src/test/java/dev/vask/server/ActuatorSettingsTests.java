package dev.vask.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' variables for actuator, as the packaged application.yml maps them: metrics are never
 * served on the main port without {@code VASK_METRICS_TOKEN}, and {@code VASK_MANAGEMENT_PORT} moves
 * probes and metrics to a port of their own.
 */
class ActuatorSettingsTests {

    private static final String MASTER_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    private static final String TOKEN = "c0ffee-scrape-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void byDefaultTheMainPortServesProbesButNoMetrics() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            int port = port(context);
            assertThat(send(port, "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = send(port, "/actuator/prometheus", null);
            assertThat(metrics.statusCode()).isEqualTo(403);
            assertThat(metrics.body()).contains("VASK_METRICS_TOKEN").doesNotContain("jvm_memory_used_bytes");
        }
    }

    @Test
    void vaskMetricsTokenLetsPrometheusScrapeTheMainPortWithIt() throws Exception {
        try (ConfigurableApplicationContext context = start("VASK_METRICS_TOKEN=" + TOKEN)) {
            int port = port(context);
            assertThat(send(port, "/actuator/prometheus", null).statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = send(port, "/actuator/prometheus", TOKEN);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("vask_realtime_connections");
        }
    }

    @Test
    void vaskManagementPortMovesProbesAndMetricsOffTheMainPort() throws Exception {
        try (ConfigurableApplicationContext context = start("VASK_MANAGEMENT_PORT=0")) {
            int port = port(context);
            int management = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.management.port"));
            assertThat(management).isNotEqualTo(port);
            assertThat(send(management, "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
            assertThat(send(management, "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
            assertThat(send(management, "/actuator/prometheus", null).body()).contains("vask_realtime_connections");
            assertThat(send(port, "/actuator/prometheus", null).statusCode()).isEqualTo(404);
            assertThat(send(port, "/actuator/health", null).statusCode()).isEqualTo(404);
            // the management port is actuator's alone: realtime takes no WebSocket there
            assertThat(send(management, "/app/some-key?protocol=7", null).statusCode()).isNotEqualTo(426);
            assertThat(send(port, "/app/some-key?protocol=7", null).statusCode()).isEqualTo(426);
        }
    }

    /** Settings passed the way the environment would: as the VASK_* names application.yml reads. */
    private static ConfigurableApplicationContext start(String... variables) {
        TestDatabase database = TestDatabase.create();
        return new SpringApplicationBuilder(VaskApplication.class).properties(variables)
                .run("--server.port=0", "--vask.database-url=" + database.url(), "--vask.master-key=" + MASTER_KEY);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private HttpResponse<String> send(int port, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
