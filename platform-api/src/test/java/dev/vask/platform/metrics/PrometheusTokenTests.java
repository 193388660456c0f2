package dev.vask.platform.metrics;

import dev.vask.platform.ManagementApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code VASK_METRICS_TOKEN} set, Prometheus scrapes with it as a bearer token; nobody scrapes without it. */
@TestPropertySource(properties = {"management.endpoints.web.exposure.include=health,prometheus",
        "vask.metrics.token=" + PrometheusTokenTests.TOKEN})
class PrometheusTokenTests extends ManagementApiTestSupport {

    static final String TOKEN = "scrape-token-5f1c9a2e7b3d4e6f";

    @Test
    void withoutTheTokenTheAnswerIs401AskingForABearerToken() {
        client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"vask-metrics\"")
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/metrics-credential");
    }

    @Test
    void aWrongTokenOrAnotherSchemeIs401() {
        client.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN + "x").exchange()
                .expectStatus().isUnauthorized();
        client.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN.substring(1)).exchange()
                .expectStatus().isUnauthorized();
        client.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Basic " + TOKEN).exchange()
                .expectStatus().isUnauthorized();
        client.get().uri("/actuator/prometheus?token=" + TOKEN).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theTokenGetsTheMetrics() {
        String metrics = client.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void healthProbesNeedNoToken() {
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }
}
