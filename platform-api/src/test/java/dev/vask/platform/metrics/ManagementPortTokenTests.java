package dev.vask.platform.metrics;

import dev.vask.platform.ManagementApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A metrics token applies on the management port too: the port alone does not open the metrics. */
@TestPropertySource(properties = {"management.endpoints.web.exposure.include=health,prometheus", "management.server.port=0",
        "vask.metrics.token=" + PrometheusTokenTests.TOKEN})
class ManagementPortTokenTests extends ManagementApiTestSupport {

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void metricsOnTheManagementPortNeedTheTokenAndProbesDoNot() {
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        management.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + PrometheusTokenTests.TOKEN)
                .exchange().expectStatus().isOk();
        management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
