package dev.vask.platform.web;

import java.util.List;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document and its UI name Vask by its public URL (here the default, {@code http://localhost:{port}}),
 * never by what the request's {@code Host} or forwarded headers claim. This server applies forwarded headers
 * from anyone (Spring's own strategy, no trusted proxy named), the worst case.
 */
class DocumentationAtPublicUrlTests extends ManagementApiTestSupport {

    @LocalServerPort
    int port;

    @Test
    void theDocumentsServerIsThePublicUrlWhateverHostTheRequestNames() {
        Map<?, ?> document = spoofed(client.get().uri("/api/v1/openapi.json")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) document.get("servers")).singleElement()
                .satisfies(server -> assertThat(((Map<?, ?>) server).get("url")).isEqualTo("http://localhost:" + port));
    }

    @Test
    void theUiConfigurationNamesNoSpoofedHost() {
        String config = spoofed(client.get().uri("/api/v1/openapi.json/swagger-config")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(config).contains("/api/v1/openapi.json").doesNotContain("evil");
    }

    @Test
    void theUisRedirectIsAPathUnderThePublicUrlWhateverHostOrPrefixTheRequestNames() {
        WebTestClient.ResponseSpec redirect = spoofed(client.get().uri("/api/v1/docs"))
                .header("X-Forwarded-Prefix", "/phish").exchange();
        redirect.expectStatus().isFound()
                .expectHeader().location("/api/v1/swagger-ui/index.html");
    }

    private static WebTestClient.RequestHeadersSpec<?> spoofed(WebTestClient.RequestHeadersSpec<?> request) {
        return request.header(HttpHeaders.HOST, "evil.example")
                .header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Port", "443");
    }
}
