package dev.vask.platform.audit;

import java.util.List;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.TestJson;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log records who did what to which tenant, member, app or key, and only what was applied. */
class AuditLogTests extends ManagementApiTestSupport {

    @Test
    void everyChangeIsRecordedWithItsActorTargetAndDetailsNewestFirst() {
        TestAccount owner = signUp();
        TestAccount member = signUp();
        long app = owner.createApp("Chat");
        owner.api().patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("features", Map.of("clientEvents", true), "limits", Map.of("maxConnections", 100)))
                .exchange().expectStatus().isOk();
        Map<?, ?> key = owner.createKey(app);
        String secret = (String) key.get("secret");
        owner.api().post().uri("/api/v1/apps/{a}/keys/{k}/revoke", app, key.get("key")).exchange().expectStatus().isOk();
        owner.addMember(member, "viewer");
        owner.api().patch().uri("/api/v1/tenants/{t}/members/{m}", owner.tenantId(), member.id()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("role", "developer")).exchange().expectStatus().isOk();
        member.api().patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("enabled", false)).exchange().expectStatus().isOk();
        owner.api().delete().uri("/api/v1/tenants/{t}/members/{m}", owner.tenantId(), member.id()).exchange().expectStatus().isNoContent();
        owner.api().patch().uri("/api/v1/tenants/{t}", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Renamed")).exchange().expectStatus().isOk();
        owner.api().delete().uri("/api/v1/apps/{a}", app).exchange().expectStatus().isNoContent();

        String body = owner.api().get().uri("/api/v1/tenants/{t}/audit-events", owner.tenantId()).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).doesNotContain(secret);
        List<Object> events = TestJson.list(TestJson.map(owner.api().get().uri("/api/v1/tenants/{t}/audit-events", owner.tenantId())
                .exchange().expectBody(Map.class).returnResult().getResponseBody()).get("events"));
        assertThat(events).extracting(event -> TestJson.map(event).get("action")).containsExactly(
                "app.deleted", "tenant.renamed", "member.removed", "app.updated", "member.role_changed", "member.joined",
                "invitation.created", "key.revoked", "key.created", "app.updated", "app.created", "tenant.created");
        Map<String, Object> joined = TestJson.map(events.get(5));
        assertThat(joined).containsEntry("actorEmail", member.email()).containsEntry("targetType", "member")
                .containsEntry("targetId", Long.toString(member.id()));
        assertThat(TestJson.map(joined.get("details"))).containsEntry("role", "viewer").containsEntry("invitedBy", owner.email());
        assertThat(TestJson.map(events.get(6))).containsEntry("actorEmail", owner.email()).containsEntry("targetType", "invitation");
        Map<String, Object> toggled = TestJson.map(events.get(9));
        assertThat(toggled).containsEntry("targetType", "app").containsEntry("targetId", Long.toString(app))
                .containsEntry("actorEmail", owner.email()).containsEntry("actorAccountId", (int) owner.id());
        Map<String, Object> details = TestJson.map(toggled.get("details"));
        assertThat(details).containsOnlyKeys("features.clientEvents", "limits.maxConnections");
        assertThat(details.get("features.clientEvents")).isEqualTo(Map.of("from", false, "to", true));
        assertThat(TestJson.map(details.get("limits.maxConnections"))).containsEntry("from", null).containsEntry("to", 100);
        Map<String, Object> disabledByMember = TestJson.map(events.get(3));
        assertThat(disabledByMember).containsEntry("actorEmail", member.email());
        assertThat(TestJson.map(disabledByMember.get("details"))).containsEntry("enabled", Map.of("from", true, "to", false));
        Map<String, Object> revoked = TestJson.map(events.get(7));
        assertThat(revoked).containsEntry("targetType", "key").containsEntry("targetId", key.get("key"));
        Map<String, Object> roleChange = TestJson.map(events.get(4));
        assertThat(roleChange).containsEntry("targetType", "member").containsEntry("targetId", Long.toString(member.id()));
        assertThat(TestJson.map(roleChange.get("details"))).containsEntry("role", Map.of("from", "viewer", "to", "developer"));
    }

    @Test
    void refusedAndNoOpChangesWriteNoEntry() {
        TestAccount owner = signUp();
        TestAccount developer = signUp();
        owner.addMember(developer, "developer");
        long app = owner.createApp("Chat");
        developer.api().patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Renamed", "limits", Map.of("maxConnections", 1))).exchange().expectStatus().isForbidden();
        owner.api().patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Chat", "enabled", true)).exchange().expectStatus().isOk();
        owner.api().patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "")).exchange().expectStatus().isBadRequest();
        owner.api().get().uri("/api/v1/tenants/{t}/audit-events", owner.tenantId()).exchange()
                .expectBody().jsonPath("$.events[*].action").value(actions ->
                        assertThat(TestJson.list(actions)).containsExactly("app.created", "member.joined", "invitation.created", "tenant.created"));
    }

    @Test
    void theLogIsReadPageByPage() {
        TestAccount owner = signUp();
        for (int i = 0; i < 4; i++) {
            owner.createApp("App " + i);
        }
        Map<String, Object> first = page(owner, "?limit=2");
        assertThat(TestJson.list(first.get("events"))).hasSize(2);
        Map<String, Object> second = page(owner, "?limit=2&before=" + first.get("nextBefore"));
        Map<String, Object> third = page(owner, "?limit=2&before=" + second.get("nextBefore"));
        assertThat(TestJson.list(third.get("events"))).hasSize(1);
        assertThat(third.get("nextBefore")).isNull();
        assertThat(TestJson.map(TestJson.list(third.get("events")).getFirst()).get("action")).isEqualTo("tenant.created");
        owner.api().get().uri("/api/v1/tenants/{t}/audit-events?limit=0", owner.tenantId()).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("limit").jsonPath("$.errors[0].message").isEqualTo("must be between 1 and 200");
        owner.api().get().uri("/api/v1/tenants/{t}/audit-events?limit=500", owner.tenantId()).exchange().expectStatus().isBadRequest();
        owner.api().get().uri("/api/v1/tenants/{t}/audit-events?before=abc", owner.tenantId()).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("before");
    }

    private static Map<String, Object> page(TestAccount owner, String query) {
        return TestJson.map(owner.api().get().uri("/api/v1/tenants/" + owner.tenantId() + "/audit-events" + query).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody());
    }
}
