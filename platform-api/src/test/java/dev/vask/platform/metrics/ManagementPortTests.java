package dev.vask.platform.metrics;

import dev.vask.platform.ManagementApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a separate management port ({@code VASK_MANAGEMENT_PORT}) and no metrics token, actuator lives on
 * that port alone: probes and metrics there, for whoever the operator lets reach it, and nothing of actuator
 * on the main port.
 */
@TestPropertySource(properties = {"management.endpoints.web.exposure.include=health,prometheus", "management.server.port=0"})
class ManagementPortTests extends ManagementApiTestSupport {

    @Value("${local.management.port}")
    int managementPort;

    @Value("${local.server.port}")
    int serverPort;

    @Test
    void probesAndMetricsAreServedOnTheManagementPort() {
        assertThat(managementPort).isNotEqualTo(serverPort);
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
        management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        String metrics = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void theMainPortServesNoActuatorEndpoint() {
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
        client.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
    }
}
