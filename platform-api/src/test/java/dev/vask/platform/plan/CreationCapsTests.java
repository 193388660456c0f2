package dev.vask.platform.plan;

import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** What one account may create on this Vask (the defaults: 5 tenants, 25 apps), whatever plans its tenants are on. */
class CreationCapsTests extends ManagementApiTestSupport {

    @Test
    void anAccountCreatesAtMostFiveTenantsCountingTheOneFromSignUp() {
        TestAccount account = signUp();
        for (int i = 2; i <= 5; i++) {
            createTenant(account, "Tenant " + i).expectStatus().isCreated();
        }
        createTenant(account, "Tenant 6").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/too-many-tenants")
                .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail).contains("(5)"));
        // operators have no cap
        TestAccount operator = firstStartAdmin();
        for (int i = 0; i < 6; i++) {
            createTenant(operator, "Operator's " + i).expectStatus().isCreated();
        }
    }

    @Test
    void anAccountCreatesAtMost25AppsInAllItsTenants() {
        TestAccount account = signUp();
        long second = tenantId(createTenant(account, "Second"));
        long third = tenantId(createTenant(account, "Third"));
        for (int i = 0; i < 25; i++) {
            long tenant = i < 10 ? account.tenantId() : i < 20 ? second : third;
            createApp(account, tenant, "App " + i).expectStatus().isCreated();
        }
        createApp(account, third, "App 26").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/too-many-apps");
        // deleting one frees a place
        long any = ((Number) account.api().get().uri("/api/v1/tenants/{t}/apps", third).exchange().expectBody(java.util.List.class)
                .returnResult().getResponseBody().stream().map(app -> ((Map<?, ?>) app).get("id")).findFirst().orElseThrow()).longValue();
        account.api().delete().uri("/api/v1/apps/{a}", any).exchange().expectStatus().isNoContent();
        createApp(account, third, "App 26").expectStatus().isCreated();
    }

    private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec createTenant(TestAccount account, String name) {
        return account.api().post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", name)).exchange();
    }

    private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec createApp(TestAccount account, long tenant, String name) {
        return account.api().post().uri("/api/v1/tenants/{t}/apps", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name)).exchange();
    }

    private static long tenantId(org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec created) {
        return ((Number) created.expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("id")).longValue();
    }
}
