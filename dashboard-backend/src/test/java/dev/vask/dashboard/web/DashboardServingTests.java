package dev.vask.dashboard.web;

import dev.vask.dashboard.DashboardServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard through the whole server (security filter chains, routes, the management API beside it):
 * the pages' security headers, the shell for deep links, 404 for missing files, and nothing but reads.
 */
class DashboardServingTests extends DashboardServerTestSupport {

    @Autowired
    WebTestClient client;

    @Test
    void shellComesWithTheSecurityHeaders() {
        WebTestClient.ResponseSpec response = client.get().uri("/dashboard/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.parseMediaType("text/html;charset=UTF-8"));
        expectPageHeaders(response);
        response.expectHeader().cacheControl(CacheControl.noCache());
    }

    @Test
    void scriptsAndStylesComeWithTheSameHeaders() {
        expectPageHeaders(client.get().uri("/dashboard/assets/js/main.js").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.parseMediaType("text/javascript;charset=UTF-8")));
        expectPageHeaders(client.get().uri("/dashboard/assets/dashboard.css").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.parseMediaType("text/css;charset=UTF-8")));
    }

    @Test
    void deepLinkIsAnsweredWithTheShell() {
        String body = client.get().uri("/dashboard/apps/4242/settings").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("/dashboard/assets/js/main.js");
    }

    @Test
    void missingFileIsNotFoundAndNeverTheShell() {
        client.get().uri("/dashboard/assets/js/pages/missing.js").exchange()
                .expectStatus().isNotFound()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
    }

    @Test
    void dashboardWithoutTrailingSlashRedirectsToTheShell() {
        client.get().uri("/dashboard").exchange()
                .expectStatus().isEqualTo(HttpStatus.PERMANENT_REDIRECT)
                .expectHeader().location("/dashboard/");
    }

    @Test
    void writesUnderTheDashboardAreRefusedWithMethodNotAllowed() {
        client.post().uri("/dashboard/apps").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET, HEAD");
        client.delete().uri("/dashboard/").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    }

    @Test
    void settingsSayThatSignUpIsOpenByDefault() {
        client.get().uri("/dashboard/settings.json").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"signupEnabled\": true}", true);
    }

    @Test
    void managementApiBesideTheDashboardStillAnswersForItself() {
        client.get().uri("/api/v1/session").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void pathsThatOnlyBeginLikeTheDashboardAreNotServed() {
        client.get().uri("/dashboards/").exchange()
                .expectStatus().value(status -> assertThat(status).isIn(401, 403, 404));
        client.get().uri("/dashboard-old/index.html").exchange()
                .expectStatus().value(status -> assertThat(status).isIn(401, 403, 404));
    }

    private static void expectPageHeaders(WebTestClient.ResponseSpec response) {
        response.expectHeader().valueEquals("Content-Security-Policy", DashboardSecurityConfiguration.CONTENT_SECURITY_POLICY)
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "same-origin")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Cross-Origin-Opener-Policy", "same-origin")
                .expectHeader().valueEquals("Cross-Origin-Resource-Policy", "same-origin");
        response.expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:"));
    }
}
