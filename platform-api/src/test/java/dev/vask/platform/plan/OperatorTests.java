package dev.vask.platform.plan;

import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.TestJson;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator role: the first-start admin has it, grants it to verified accounts only, and only operators manage plans. */
class OperatorTests extends ManagementApiTestSupport {

    @Test
    void onlyOperatorsReachTheOperatorApi() {
        TestAccount tenantOwner = signUp();
        tenantOwner.api().get().uri("/api/v1/account").exchange().expectBody().jsonPath("$.operator").isEqualTo(false);
        for (String path : new String[] {"/api/v1/operator/plans", "/api/v1/operator/tenants", "/api/v1/operator/operators"}) {
            tenantOwner.api().get().uri(path).exchange().expectStatus().isForbidden()
                    .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/operator-only");
        }
        tenantOwner.api().post().uri("/api/v1/operator/plans").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PlanCeilingTests.plan("Mine", null, 1_048_576, null, null, 1000)).exchange().expectStatus().isForbidden();
        tenantOwner.api().put().uri("/api/v1/operator/tenants/{t}/plan", tenantOwner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("planId", 1)).exchange().expectStatus().isForbidden();
    }

    @Test
    void theFirstStartAdminIsAnOperatorWithAVerifiedAddressAndSeesEveryTenantsPlan() {
        TestAccount operator = firstStartAdmin();
        operator.api().get().uri("/api/v1/account").exchange().expectBody()
                .jsonPath("$.operator").isEqualTo(true).jsonPath("$.emailVerified").isEqualTo(true);
        TestAccount owner = signUp();
        operator.api().get().uri("/api/v1/operator/tenants").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.id == " + owner.tenantId() + ")].plan").isEqualTo("default")
                .jsonPath("$[?(@.id == " + owner.tenantId() + ")].owners[0]").isEqualTo(owner.email());
        operator.api().get().uri("/api/v1/operator/plans").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[0].name").isEqualTo("default").jsonPath("$[0].maxConnections").isEqualTo(1000);
        // but an operator is no member: a tenant's apps and secrets stay its members' own
        long app = owner.createApp("Private");
        operator.api().get().uri("/api/v1/apps/{a}/keys", app).exchange().expectStatus().isNotFound();
    }

    @Test
    void plansAreValidatedAndTheirNamesAreUnique() {
        TestAccount operator = firstStartAdmin();
        String name = "Pro " + uniqueEmail();
        PlanCeilingTests.createPlan(operator, name, 10_000, 262_144, 10_000_000L, 50, 200);
        operator.api().post().uri("/api/v1/operator/plans").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PlanCeilingTests.plan(name.toUpperCase(), 1, 1, 1L, 1, 1)).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/plan-name-taken");
        operator.api().post().uri("/api/v1/operator/plans").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PlanCeilingTests.plan("Default", 1, 1, 1L, 1, 1)).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        operator.api().post().uri("/api/v1/operator/plans").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PlanCeilingTests.plan("Huge " + uniqueEmail(), 1, 2_000_000, 1L, 1, 5000)).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors.length()").isEqualTo(2);
    }

    @Test
    void operatorsGrantTheRoleToVerifiedAccountsOnlyAndTheLastOneStays() {
        TestAccount operator = firstStartAdmin();
        TestAccount unverified = signUpUnverified();
        operator.api().post().uri("/api/v1/operator/operators").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", unverified.email())).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("email");
        unverified.api().get().uri("/api/v1/operator/plans").exchange().expectStatus().isForbidden();

        TestAccount colleague = signUp();
        operator.api().post().uri("/api/v1/operator/operators").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", colleague.email())).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.accountId").isEqualTo(colleague.id());
        colleague.api().get().uri("/api/v1/operator/plans").exchange().expectStatus().isOk();
        colleague.api().delete().uri("/api/v1/operator/operators/{a}", colleague.id()).exchange().expectStatus().isNoContent();
        colleague.api().get().uri("/api/v1/operator/plans").exchange().expectStatus().isForbidden();
        operator.api().get().uri("/api/v1/operator/operators").exchange().expectBody()
                .jsonPath("$[*].email").value(emails -> assertThat(TestJson.list(emails)).contains("admin@vask.local")
                        .doesNotContain(colleague.email()));
    }
}
