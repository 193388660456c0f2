package dev.vask.platform.metrics;

import dev.vask.platform.ManagementApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * Without a metrics token and without a separate management port, the main port (the public one) serves
 * no metrics: they hold totals across every tenant. Health probes stay open for the orchestrator.
 */
@TestPropertySource(properties = "management.endpoints.web.exposure.include=health,prometheus")
class PrometheusWithoutTokenTests extends ManagementApiTestSupport {

    @Test
    void metricsAreRefusedOnTheMainPortWithAnAnswerNamingTheSettings() {
        client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://vask.dev/problems/metrics-not-served")
                .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
                        .contains("VASK_METRICS_TOKEN").contains("VASK_MANAGEMENT_PORT"));
    }

    @Test
    void healthProbesStayOpen() {
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }
}
