package dev.vask.platform.web;

import java.util.List;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code VASK_PUBLIC_URL} set, the OpenAPI document's server is exactly that URL, and "Try it out" may reach it. */
@TestPropertySource(properties = "vask.public-url=https://vask.example.com")
class PublicUrlDocumentationTests extends ManagementApiTestSupport {

    @Test
    void theDocumentsServerIsThePublicUrl() {
        Map<?, ?> document = client.get().uri("/api/v1/openapi.json").header(HttpHeaders.HOST, "evil.example")
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) document.get("servers")).singleElement()
                .satisfies(server -> assertThat(((Map<?, ?>) server).get("url")).isEqualTo("https://vask.example.com"));
    }

    @Test
    void theUiMayCallThePublicUrlAndTheRedirectStaysAPath() {
        var answer = client.get().uri("/api/v1/docs").header(HttpHeaders.HOST, "evil.example").exchange()
                .expectStatus().isFound()
                .expectHeader().location("/api/v1/swagger-ui/index.html")
                .returnResult(String.class);
        assertThat(answer.getResponseHeaders().getFirst("Content-Security-Policy")).contains("connect-src 'self' https://vask.example.com;");
    }
}
