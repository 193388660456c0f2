package dev.vask.platform.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.TestJson;
import dev.vask.platform.management.ManagementApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another tenant's resources do not exist for the caller: every endpoint that takes a tenant, app,
 * key, member or token id answers 404 (never 403, never data) for someone else's, and changes nothing.
 */
class TenantIsolationTests extends ManagementApiTestSupport {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyEndpointAnswersNotFoundForAnotherTenantsResourcesAndChangesNothing() throws Exception {
        TestAccount victim = signUp();
        TestAccount colleague = signUp();
        victim.addMember(colleague, "developer");
        long victimApp = victim.createApp("Secret project");
        String victimKey = (String) victim.createKey(victimApp).get("key");
        long victimToken = firstTokenId(victim);
        long victimInvitation = victim.invite(uniqueEmail(), "admin");

        TestAccount attacker = signUp();
        long attackerApp = attacker.createApp("Mine");
        long tenant = victim.tenantId();
        String before = snapshot(victim, colleague);

        Map<String, Attempt> attempts = new LinkedHashMap<>();
        attempts.put("GET /api/v1/tenants/{tenantId}", new Attempt(HttpMethod.GET, "/api/v1/tenants/" + tenant, null));
        attempts.put("PATCH /api/v1/tenants/{tenantId}", new Attempt(HttpMethod.PATCH, "/api/v1/tenants/" + tenant, Map.of("name", "Owned")));
        attempts.put("DELETE /api/v1/tenants/{tenantId}", new Attempt(HttpMethod.DELETE, "/api/v1/tenants/" + tenant, null));
        attempts.put("GET /api/v1/tenants/{tenantId}/members", new Attempt(HttpMethod.GET, "/api/v1/tenants/" + tenant + "/members", null));
        attempts.put("POST /api/v1/tenants/{tenantId}/invitations", new Attempt(HttpMethod.POST, "/api/v1/tenants/" + tenant + "/invitations",
                Map.of("email", attacker.email(), "role", "owner")));
        attempts.put("GET /api/v1/tenants/{tenantId}/invitations", new Attempt(HttpMethod.GET, "/api/v1/tenants/" + tenant + "/invitations", null));
        attempts.put("GET /api/v1/tenants/{tenantId}/plan", new Attempt(HttpMethod.GET, "/api/v1/tenants/" + tenant + "/plan", null));
        attempts.put("PATCH /api/v1/tenants/{tenantId}/members/{accountId}", new Attempt(HttpMethod.PATCH,
                "/api/v1/tenants/" + tenant + "/members/" + colleague.id(), Map.of("role", "viewer")));
        attempts.put("DELETE /api/v1/tenants/{tenantId}/members/{accountId}", new Attempt(HttpMethod.DELETE,
                "/api/v1/tenants/" + tenant + "/members/" + colleague.id(), null));
        attempts.put("GET /api/v1/tenants/{tenantId}/apps", new Attempt(HttpMethod.GET, "/api/v1/tenants/" + tenant + "/apps", null));
        attempts.put("POST /api/v1/tenants/{tenantId}/apps", new Attempt(HttpMethod.POST, "/api/v1/tenants/" + tenant + "/apps",
                Map.of("name", "Planted")));
        attempts.put("GET /api/v1/tenants/{tenantId}/audit-events", new Attempt(HttpMethod.GET,
                "/api/v1/tenants/" + tenant + "/audit-events", null));
        attempts.put("GET /api/v1/apps/{appId}", new Attempt(HttpMethod.GET, "/api/v1/apps/" + victimApp, null));
        attempts.put("PATCH /api/v1/apps/{appId}", new Attempt(HttpMethod.PATCH, "/api/v1/apps/" + victimApp, Map.of("enabled", false)));
        attempts.put("DELETE /api/v1/apps/{appId}", new Attempt(HttpMethod.DELETE, "/api/v1/apps/" + victimApp, null));
        attempts.put("GET /api/v1/apps/{appId}/keys", new Attempt(HttpMethod.GET, "/api/v1/apps/" + victimApp + "/keys", null));
        attempts.put("POST /api/v1/apps/{appId}/keys", new Attempt(HttpMethod.POST, "/api/v1/apps/" + victimApp + "/keys", Map.of()));
        attempts.put("GET /api/v1/apps/{appId}/keys/{key}", new Attempt(HttpMethod.GET,
                "/api/v1/apps/" + victimApp + "/keys/" + victimKey, null));
        attempts.put("POST /api/v1/apps/{appId}/keys/{key}/revoke", new Attempt(HttpMethod.POST,
                "/api/v1/apps/" + victimApp + "/keys/" + victimKey + "/revoke", null));
        attempts.put("GET /api/v1/apps/{appId}/vapid", new Attempt(HttpMethod.GET, "/api/v1/apps/" + victimApp + "/vapid", null));
        attempts.put("PATCH /api/v1/apps/{appId}/vapid", new Attempt(HttpMethod.PATCH, "/api/v1/apps/" + victimApp + "/vapid",
                Map.of("rotationPeriod", "P7D")));
        attempts.put("POST /api/v1/apps/{appId}/vapid/rotate", new Attempt(HttpMethod.POST, "/api/v1/apps/" + victimApp + "/vapid/rotate", null));
        attempts.put("GET /api/v1/apps/{appId}/usage", new Attempt(HttpMethod.GET, "/api/v1/apps/" + victimApp + "/usage", null));
        attempts.put("DELETE /api/v1/tenants/{tenantId}/invitations/{invitationId}", new Attempt(HttpMethod.DELETE,
                "/api/v1/tenants/" + tenant + "/invitations/" + victimInvitation, null));
        attempts.put("POST /api/v1/account/invitations/{invitationId}/accept", new Attempt(HttpMethod.POST,
                "/api/v1/account/invitations/" + victimInvitation + "/accept", null));
        attempts.put("POST /api/v1/account/invitations/{invitationId}/decline", new Attempt(HttpMethod.POST,
                "/api/v1/account/invitations/" + victimInvitation + "/decline", null));
        attempts.put("POST /api/v1/account/tokens/{tokenId}/revoke", new Attempt(HttpMethod.POST,
                "/api/v1/account/tokens/" + victimToken + "/revoke", null));

        // the endpoints above are every endpoint that takes an id: a new one must be added here
        assertThat(attempts.keySet()).containsExactlyInAnyOrderElementsOf(endpointsTakingAnId());

        for (Map.Entry<String, Attempt> entry : attempts.entrySet()) {
            Attempt attempt = entry.getValue();
            // token management takes a session; everything else is tried with the attacker's read/write token
            WebTestClient client = attempt.path().startsWith("/api/v1/account/") ? attacker.browser() : attacker.api();
            WebTestClient.RequestBodySpec request = client.method(attempt.method()).uri(attempt.path());
            var response = attempt.body() == null ? request.exchange()
                    : request.contentType(MediaType.APPLICATION_JSON).bodyValue(attempt.body()).exchange();
            String body = response.expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(body).as(entry.getKey()).contains("https://vask.dev/problems/not-found")
                    .doesNotContain("Secret project").doesNotContain(victim.email()).doesNotContain(colleague.email());
        }

        // the operator's endpoints are not the attacker's to call at all, whatever the ids
        Map<String, Attempt> operatorOnly = Map.of(
                "PUT /api/v1/operator/tenants/{tenantId}/plan", new Attempt(HttpMethod.PUT, "/api/v1/operator/tenants/" + tenant + "/plan",
                        Map.of("planId", 1)),
                "PUT /api/v1/operator/plans/{planId}", new Attempt(HttpMethod.PUT, "/api/v1/operator/plans/1",
                        Map.of("name", "Mine", "maxMessageBytes", 1_048_576, "clientEventsPerSecond", 1000)),
                "DELETE /api/v1/operator/plans/{planId}", new Attempt(HttpMethod.DELETE, "/api/v1/operator/plans/1", null),
                "DELETE /api/v1/operator/operators/{accountId}", new Attempt(HttpMethod.DELETE, "/api/v1/operator/operators/1", null));
        assertThat(operatorOnly.keySet()).containsExactlyInAnyOrderElementsOf(operatorEndpointsTakingAnId());
        for (Attempt attempt : operatorOnly.values()) {
            WebTestClient.RequestBodySpec request = attacker.api().method(attempt.method()).uri(attempt.path());
            (attempt.body() == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(attempt.body()).exchange())
                    .expectStatus().isForbidden()
                    .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/operator-only");
        }

        // ids mixed across tenants: the attacker's app with the victim's key
        attacker.api().get().uri("/api/v1/apps/{app}/keys/{key}", attackerApp, victimKey).exchange().expectStatus().isNotFound();
        attacker.api().post().uri("/api/v1/apps/{app}/keys/{key}/revoke", attackerApp, victimKey).exchange().expectStatus().isNotFound();
        // lists never show another tenant's things
        attacker.api().get().uri("/api/v1/apps").exchange().expectBody()
                .jsonPath("$[*].id").value(ids -> assertThat(TestJson.list(ids)).containsExactly((int) attackerApp));
        attacker.api().get().uri("/api/v1/tenants").exchange().expectBody()
                .jsonPath("$[*].id").value(ids -> assertThat(TestJson.list(ids)).containsExactly((int) attacker.tenantId()));

        assertThat(snapshot(victim, colleague)).isEqualTo(before);
    }

    private record Attempt(HttpMethod method, String path, Map<String, ?> body) {
    }

    /** "METHOD /pattern" of every management API endpoint whose path takes an id. */
    private Set<String> endpointsTakingAnId() {
        Set<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> info.getPatternsCondition().getPatterns().forEach(pattern -> {
            String path = pattern.getPatternString();
            if (handler.getBeanType().isAnnotationPresent(ManagementApi.class) && path.startsWith("/api/v1/") && path.contains("{")
                    && !path.startsWith("/api/v1/operator/")) {
                info.getMethodsCondition().getMethods().forEach(method -> endpoints.add(method.name() + " " + path));
            }
        }));
        return endpoints;
    }

    /** The same for the operator's endpoints, which refuse every non-operator (403) rather than hide a tenant (404). */
    private Set<String> operatorEndpointsTakingAnId() {
        Set<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> info.getPatternsCondition().getPatterns().forEach(pattern -> {
            String path = pattern.getPatternString();
            if (handler.getBeanType().isAnnotationPresent(ManagementApi.class) && path.startsWith("/api/v1/operator/") && path.contains("{")) {
                info.getMethodsCondition().getMethods().forEach(method -> endpoints.add(method.name() + " " + path));
            }
        }));
        return endpoints;
    }

    private long firstTokenId(TestAccount account) {
        List<Object> tokens = TestJson.list(account.browser().get().uri("/api/v1/account/tokens").exchange()
                .expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody());
        return ((Number) TestJson.map(tokens.getFirst()).get("id")).longValue();
    }

    /** Everything stored about the victim's tenant, its apps and keys, and the two accounts' tokens. */
    private static String snapshot(TestAccount victim, TestAccount colleague) throws Exception {
        List<String> rows = new ArrayList<>();
        String[] queries = {
                "select row_to_json(t)::text from tenants t where t.id = ?",
                "select row_to_json(m)::text from tenant_members m where m.tenant_id = ? order by account_id",
                "select row_to_json(a)::text from apps a where a.tenant_id = ? order by id",
                "select row_to_json(k)::text from app_keys k join apps a on a.id = k.app_id where a.tenant_id = ? order by k.id",
                "select row_to_json(e)::text from audit_events e where e.tenant_id = ? order by id",
        };
        try (Connection connection = database.connect()) {
            for (String query : queries) {
                try (PreparedStatement statement = connection.prepareStatement(query)) {
                    statement.setLong(1, victim.tenantId());
                    collect(statement, rows);
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "select id, name, revoked_at from api_tokens where account_id in (?, ?) order by id")) {
                statement.setLong(1, victim.id());
                statement.setLong(2, colleague.id());
                collect(statement, rows);
            }
        }
        return String.join("\n", rows);
    }

    private static void collect(PreparedStatement statement, List<String> rows) throws Exception {
        try (ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(result.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
    }
}
