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

/** vask.roles (VASK_ROLES) decides which surfaces one process serves. */
class RolesTests {

    private static final String MASTER_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void allRolesByDefaultServeWebSocketsAndTheHttpApi() throws Exception {
        try (ConfigurableApplicationContext context = start("realtime,api,dashboard")) {
            assertThat(status(context, "/app/some-key?protocol=7")).isEqualTo(426); // realtime answers: upgrade needed
            assertThat(status(context, "/apps/1/events", "POST")).isEqualTo(401); // the API answers: unsigned
        }
    }

    @Test
    void realtimeOnlyProcessHasNoHttpApi() throws Exception {
        try (ConfigurableApplicationContext context = start("realtime")) {
            assertThat(status(context, "/app/some-key?protocol=7")).isEqualTo(426);
            assertThat(status(context, "/apps/1/events", "POST")).isIn(401, 403, 404);
            assertThat(body(context, "/apps/1/events", "POST")).doesNotContain("auth_key");
        }
    }

    @Test
    void apiOnlyProcessTakesNoWebSockets() throws Exception {
        try (ConfigurableApplicationContext context = start("api")) {
            assertThat(status(context, "/app/some-key?protocol=7")).isNotEqualTo(426);
            assertThat(status(context, "/apps/1/events", "POST")).isEqualTo(401);
        }
    }

    private static ConfigurableApplicationContext start(String roles) {
        TestDatabase database = TestDatabase.create();
        return new SpringApplicationBuilder(VaskApplication.class).run("--server.port=0", "--vask.roles=" + roles,
                "--vask.database-url=" + database.url(), "--vask.master-key=" + MASTER_KEY);
    }

    private int status(ConfigurableApplicationContext context, String path) throws Exception {
        return status(context, path, "GET");
    }

    private int status(ConfigurableApplicationContext context, String path, String method) throws Exception {
        return send(context, path, method).statusCode();
    }

    private String body(ConfigurableApplicationContext context, String path, String method) throws Exception {
        return send(context, path, method).body();
    }

    private HttpResponse<String> send(ConfigurableApplicationContext context, String path, String method) throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Content-Type", "application/json").build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
