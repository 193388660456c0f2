package dev.vask.platform.tenant;

import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.TestJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each role may do in a tenant it is a member of: viewers read, developers also manage apps and
 * keys and see secrets, admins also limits, members and the audit log, owners also delete the tenant.
 * Refusals in one's own tenant are 403 problems, and change nothing.
 */
class RolePermissionTests extends ManagementApiTestSupport {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"owner", "admin", "developer", "viewer"})
    void eachRoleMayDoExactlyWhatItsPermissionsAllow(String role) {
        TestAccount owner = signUp();
        TestAccount member = signUp();
        owner.addMember(member, role);
        boolean developer = !role.equals("viewer");
        boolean admin = role.equals("owner") || role.equals("admin");
        boolean isOwner = role.equals("owner");
        long tenant = owner.tenantId();
        long app = owner.createApp("Chat");
        String key = (String) owner.createKey(app).get("key");
        WebTestClient api = member.api();

        // reading: everyone
        expect(api.get().uri("/api/v1/tenants/{t}", tenant), HttpStatus.OK);
        expect(api.get().uri("/api/v1/tenants/{t}/apps", tenant), HttpStatus.OK);
        expect(api.get().uri("/api/v1/apps/{a}", app), HttpStatus.OK);
        expect(api.get().uri("/api/v1/tenants/{t}/members", tenant), HttpStatus.OK);
        expect(api.get().uri("/api/v1/apps/{a}/usage", app), HttpStatus.OK);
        Map<String, Object> listedKey = TestJson.map(TestJson.list(api.get().uri("/api/v1/apps/{a}/keys", app).exchange()
                .expectStatus().isOk().expectBody(java.util.List.class).returnResult().getResponseBody()).getFirst());
        assertThat(listedKey.get("secret") != null).as("secret visible to " + role).isEqualTo(developer);

        // apps and keys: developers and above
        expect(api.post().uri("/api/v1/tenants/{t}/apps", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "New")), developer ? HttpStatus.CREATED : HttpStatus.FORBIDDEN);
        expect(api.patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Renamed", "features", Map.of("clientEvents", true))), developer ? HttpStatus.OK : HttpStatus.FORBIDDEN);
        expect(api.post().uri("/api/v1/apps/{a}/keys", app), developer ? HttpStatus.CREATED : HttpStatus.FORBIDDEN);
        expect(api.post().uri("/api/v1/apps/{a}/keys/{k}/revoke", app, key), developer ? HttpStatus.OK : HttpStatus.FORBIDDEN);

        // limits: admins and owners; a developer's request with limits changes nothing at all
        expect(api.patch().uri("/api/v1/apps/{a}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "With limits", "limits", Map.of("maxConnections", 5))), admin ? HttpStatus.OK : HttpStatus.FORBIDDEN);
        owner.api().get().uri("/api/v1/apps/{a}", app).exchange().expectBody()
                .jsonPath("$.name").isEqualTo(admin ? "With limits" : developer ? "Renamed" : "Chat");
        expect(api.post().uri("/api/v1/tenants/{t}/apps", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Limited", "limits", Map.of("maxMessagesPerDay", 10))), admin ? HttpStatus.CREATED : HttpStatus.FORBIDDEN);

        // members, tenant name and audit log: admins and owners
        TestAccount newcomer = signUp();
        expect(api.post().uri("/api/v1/tenants/{t}/invitations", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", newcomer.email(), "role", "viewer")), admin ? HttpStatus.CREATED : HttpStatus.FORBIDDEN);
        expect(api.patch().uri("/api/v1/tenants/{t}", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Renamed tenant")), admin ? HttpStatus.OK : HttpStatus.FORBIDDEN);
        expect(api.get().uri("/api/v1/tenants/{t}/audit-events", tenant), admin ? HttpStatus.OK : HttpStatus.FORBIDDEN);

        // deleting apps: developers and above; the tenant: owners only
        expect(api.delete().uri("/api/v1/apps/{a}", app), developer ? HttpStatus.NO_CONTENT : HttpStatus.FORBIDDEN);
        expect(api.delete().uri("/api/v1/tenants/{t}", tenant), isOwner ? HttpStatus.NO_CONTENT : HttpStatus.FORBIDDEN);
        expect(owner.api().get().uri("/api/v1/tenants/{t}", tenant), isOwner ? HttpStatus.NOT_FOUND : HttpStatus.OK);
    }

    private static void expect(WebTestClient.RequestHeadersSpec<?> request, HttpStatus status) {
        var response = request.exchange().expectStatus().isEqualTo(status);
        if (status == HttpStatus.FORBIDDEN) {
            response.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/forbidden");
        }
    }
}
