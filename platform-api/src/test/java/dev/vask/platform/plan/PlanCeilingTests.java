package dev.vask.platform.plan;

import java.time.Duration;
import java.util.Map;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.TestJson;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.AppLimits;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plans bound what a tenant's admins may set and what every node applies. Tenants here are on the
 * default plan of the configuration (1000 connections, 65536-byte messages, 1000000 messages a day,
 * 10 apps, 100 client events per second) until the operator gives them another.
 */
class PlanCeilingTests extends ManagementApiTestSupport {

    @Autowired
    AppDirectory directory;

    @LocalServerPort
    int port;

    @Test
    void aTenantAdminCannotRaiseAnAppLimitAboveThePlanCeilingAndTheAnswerNamesIt() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        owner.api().patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("limits", Map.of("maxMessageBytes", 1_048_576, "maxConnections", 10_000_000)))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://vask.dev/problems/over-plan-ceiling")
                .jsonPath("$.errors[?(@.field == 'limits.maxMessageBytes')].message")
                .isEqualTo("must be at most 65536, the ceiling of your tenant's plan 'default'; ask the operator of this Vask for a larger plan")
                .jsonPath("$.errors[?(@.field == 'limits.maxConnections')].message").value(message ->
                        assertThat(TestJson.list(message).getFirst().toString()).startsWith("must be at most 1000,"));
        owner.api().post().uri("/api/v1/tenants/{t}/apps", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Greedy", "limits", Map.of("clientEventsPerSecond", 1000)))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("limits.clientEventsPerSecond");
        owner.api().get().uri("/api/v1/apps/{a}", app).exchange().expectBody()
                .jsonPath("$.limits.maxMessageBytes").isEqualTo(10240);
        // within the ceiling is fine
        owner.api().patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("limits", Map.of("maxMessageBytes", 65_536, "maxConnections", 1000))).exchange().expectStatus().isOk();
        owner.api().get().uri("/api/v1/tenants/{t}/plan", owner.tenantId()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("default").jsonPath("$.maxMessageBytes").isEqualTo(65536)
                .jsonPath("$.maxApps").isEqualTo(10).jsonPath("$.id").doesNotExist();
    }

    @Test
    void aPlanCeilingBoundsWhatEveryNodeAppliesEvenToLimitsSetBeforeIt() {
        TestAccount operator = firstStartAdmin();
        TestAccount owner = signUp();
        long app = owner.createApp("Feed");
        Map<?, ?> key = owner.createKey(app);
        // an app with no connection limit of its own, and a message size set while the plan allowed it
        owner.api().patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("limits", Map.of("maxMessageBytes", 60_000))).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(3)).until(() -> limits(app).maxMessageBytes() == 60_000);
        assertThat(limits(app).maxConnections()).as("no limit of its own: the default plan's ceiling").isEqualTo(1000);
        assertThat(publish(app, key, 5_000).getHttpStatus()).isEqualTo(200);

        long small = createPlan(operator, "Tiny " + uniqueEmail(), 3, 2_000, 50L, 5, 4);
        operator.api().put().uri("/api/v1/operator/tenants/{t}/plan", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("planId", small)).exchange().expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(small);

        await().atMost(Duration.ofSeconds(3)).until(() -> limits(app).maxMessageBytes() == 2_000);
        AppLimits applied = limits(app);
        assertThat(applied.maxConnections()).isEqualTo(3);
        assertThat(applied.clientEventsPerSecond()).isEqualTo(4);
        assertThat(applied.maxMessagesPerDay()).isEqualTo(50L);
        Result refused = publish(app, key, 5_000);
        assertThat(refused.getHttpStatus()).isEqualTo(413);
        assertThat(publish(app, key, 1_000).getHttpStatus()).isEqualTo(200);
        // the app's own row still says what its admin set: the ceiling is applied, not written over it
        owner.api().get().uri("/api/v1/apps/{a}", app).exchange().expectBody().jsonPath("$.limits.maxMessageBytes").isEqualTo(60000);

        // raising the plan's ceiling reaches the nodes too
        operator.api().put().uri("/api/v1/operator/plans/{p}", small).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(plan("Tiny but wider " + uniqueEmail(), 3, 100_000, 50L, 5, 4)).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(3)).until(() -> limits(app).maxMessageBytes() == 60_000);
    }

    @Test
    void aPlanCapsTheNumberOfAppsOfItsTenants() {
        TestAccount operator = firstStartAdmin();
        TestAccount owner = signUp();
        long plan = createPlan(operator, "Two apps " + uniqueEmail(), null, 10_240, null, 2, 10);
        operator.api().put().uri("/api/v1/operator/tenants/{t}/plan", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("planId", plan)).exchange().expectStatus().isOk();
        owner.createApp("One");
        owner.createApp("Two");
        owner.api().post().uri("/api/v1/tenants/{t}/apps", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Three")).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/plan-app-limit")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("(2)"));
        // a plan in use cannot be deleted; back on the default plan, it can
        operator.api().delete().uri("/api/v1/operator/plans/{p}", plan).exchange().expectStatus().isEqualTo(409);
        operator.api().put().uri("/api/v1/operator/tenants/{t}/plan", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"planId\": null}").exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("default");
        operator.api().delete().uri("/api/v1/operator/plans/{p}", plan).exchange().expectStatus().isNoContent();
        owner.createApp("Three");
        owner.api().get().uri("/api/v1/tenants/{t}/audit-events?limit=10", owner.tenantId()).exchange().expectBody()
                .jsonPath("$.events[*].action").value(actions -> assertThat(TestJson.list(actions)).contains("tenant.plan_changed"));
    }

    private AppLimits limits(long app) {
        AppConfig config = directory.findById(new AppId(app)).block(Duration.ofSeconds(5));
        return java.util.Objects.requireNonNull(config).limits();
    }

    /** An event of this many bytes of data, through the official server SDK, as the app's backend sends it. */
    private Result publish(long app, Map<?, ?> key, int bytes) {
        Pusher pusher = new Pusher(Long.toString(app), (String) key.get("key"), (String) key.get("secret"));
        pusher.setHost("127.0.0.1:" + port);
        pusher.setEncrypted(false);
        try (pusher) {
            return pusher.trigger("feed", "item", "x".repeat(bytes));
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> plan(String name, Integer connections, int messageBytes, Long perDay, Integer apps, int clientEvents) {
        Map<String, Object> plan = new java.util.HashMap<>();
        plan.put("name", name);
        plan.put("maxConnections", connections);
        plan.put("maxMessageBytes", messageBytes);
        plan.put("maxMessagesPerDay", perDay);
        plan.put("maxApps", apps);
        plan.put("clientEventsPerSecond", clientEvents);
        return plan;
    }

    static long createPlan(TestAccount operator, String name, Integer connections, int messageBytes, Long perDay, Integer apps,
            int clientEvents) {
        Map<?, ?> created = operator.api().post().uri("/api/v1/operator/plans").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(plan(name, connections, messageBytes, perDay, apps, clientEvents))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) java.util.Objects.requireNonNull(created).get("id")).longValue();
    }
}
