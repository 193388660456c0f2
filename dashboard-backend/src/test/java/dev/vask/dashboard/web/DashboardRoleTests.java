package dev.vask.dashboard.web;

import dev.vask.dashboard.DashboardTestApplication;
import dev.vask.dashboard.DashboardTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A process that does not run the dashboard role ({@code vask.roles=realtime,api}) serves no dashboard. */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "vask.roles=realtime,api")
@AutoConfigureWebTestClient
class DashboardRoleTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DashboardTestDatabase.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @Test
    void withoutTheDashboardRoleNoDashboardIsServed() {
        for (String path : new String[] {"/dashboard", "/dashboard/", "/dashboard/apps/4242", "/dashboard/assets/js/main.js",
                "/dashboard/settings.json"}) {
            client.get().uri(path).exchange()
                    .expectStatus().value(status -> assertThat(status).as(path).isIn(401, 403))
                    .expectBody(String.class).value(body -> assertThat(body == null ? "" : body).as(path).doesNotContain("<html", "import "));
        }
        assertThat(context.getBeanNamesForType(DashboardAssets.class)).isEmpty();
        assertThat(context.getBeanNamesForType(DashboardSecurityConfiguration.class)).isEmpty();
    }

    @Test
    void managementApiStillServesTheSessionEndpoints() {
        client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\": \"admin@vask.local\", \"password\": \"" + DashboardTestDatabase.ADMIN_PASSWORD + "\"}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().exists("Set-Cookie");
    }
}
