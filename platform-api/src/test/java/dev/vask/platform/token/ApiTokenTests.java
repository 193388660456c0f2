package dev.vask.platform.token;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.TestJson;
import dev.vask.platform.management.OpaqueTokens;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** Personal access tokens: shown once, stored hashed, scoped, expiring, revocable, and managed only from a session. */
class ApiTokenTests extends ManagementApiTestSupport {

    @Test
    void aTokenIsShownOnceAndOnlyItsHashIsStored() throws Exception {
        TestAccount account = signUp();
        Map<String, Object> created = createToken(account, Map.of("name", "deploy", "scopes", List.of("read")));
        String token = (String) created.get("token");
        assertThat(token).startsWith("vask_pat_").hasSize(52);
        Map<String, Object> details = TestJson.map(created.get("details"));
        assertThat(details).containsEntry("name", "deploy").containsEntry("scopes", List.of("read"));
        assertThat((String) details.get("hint")).isEqualTo(token.substring(0, 15) + "…");
        String listed = account.browser().get().uri("/api/v1/account/tokens").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(listed).contains("deploy").doesNotContain(token);
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("select row_to_json(t)::text, encode(token_hash, 'hex') "
                        + "from api_tokens t where id = ?")) {
            select.setLong(1, ((Number) details.get("id")).longValue());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                assertThat(rows.getString(1)).doesNotContain(token.substring(9));
                assertThat(rows.getString(2)).isEqualTo(HexFormat.of().formatHex(OpaqueTokens.sha256(token)));
            }
        }
    }

    @Test
    void aReadTokenReadsButCannotChangeAnything() {
        TestAccount account = signUp();
        String token = (String) createToken(account, Map.of("name", "dashboards", "scopes", List.of("read"))).get("token");
        account.withToken(token).get().uri("/api/v1/tenants/{t}/apps", account.tenantId()).exchange().expectStatus().isOk();
        account.withToken(token).post().uri("/api/v1/tenants/{t}/apps", account.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Sneaky"))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/insufficient-scope");
        account.api().get().uri("/api/v1/tenants/{t}/apps", account.tenantId()).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void theWriteScopeImpliesRead() {
        TestAccount account = signUp();
        Map<String, Object> created = createToken(account, Map.of("name", "ci", "scopes", List.of("write")));
        assertThat(TestJson.map(created.get("details")).get("scopes")).isEqualTo(List.of("read", "write"));
        account.withToken((String) created.get("token")).get().uri("/api/v1/account").exchange().expectStatus().isOk();
    }

    @Test
    void anExpiredTokenIsRefused() {
        TestAccount account = signUp();
        Map<String, Object> created = createToken(account, Map.of("name", "short-lived", "scopes", List.of("read"),
                "expiresAt", Instant.now().plus(1, ChronoUnit.HOURS).toString()));
        String token = (String) created.get("token");
        account.withToken(token).get().uri("/api/v1/account").exchange().expectStatus().isOk();
        database.execute("update api_tokens set created_at = now() - interval '2 hours', expires_at = now() - interval '1 second' where id = "
                + TestJson.map(created.get("details")).get("id"));
        account.withToken(token).get().uri("/api/v1/account").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("This API token has expired");
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnceAndRevokingAgainIsHarmless() {
        TestAccount account = signUp();
        Map<String, Object> created = createToken(account, Map.of("name", "leaked", "scopes", List.of("read", "write")));
        String token = (String) created.get("token");
        Object id = TestJson.map(created.get("details")).get("id");
        account.withToken(token).get().uri("/api/v1/account").exchange().expectStatus().isOk();
        String revokedAt = (String) account.browser().post().uri("/api/v1/account/tokens/{id}/revoke", id).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("revokedAt");
        assertThat(revokedAt).isNotNull();
        account.withToken(token).get().uri("/api/v1/account").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("This API token was revoked");
        account.browser().post().uri("/api/v1/account/tokens/{id}/revoke", id).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.revokedAt").isEqualTo(revokedAt);
    }

    @Test
    void tokensCannotManageTokens() {
        TestAccount account = signUp();
        account.api().get().uri("/api/v1/account/tokens").exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").isEqualTo("API tokens cannot manage tokens, passwords or sessions; sign in with POST /api/v1/session");
        account.api().post().uri("/api/v1/account/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "forever", "scopes", List.of("write")))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void useIsRecordedToTheMinute() {
        TestAccount account = signUp();
        account.api().get().uri("/api/v1/account").exchange().expectStatus().isOk();
        account.browser().get().uri("/api/v1/account/tokens").exchange()
                .expectBody().jsonPath("$[0].lastUsedAt").exists();
    }

    @Test
    void badTokenRequestsAreRefusedFieldByField() {
        TestAccount account = signUp();
        createTokenFails(account, Map.of("scopes", List.of("read")), "name", "must not be empty");
        createTokenFails(account, Map.of("name", "x", "scopes", List.of()), "scopes", "must list read, write or both");
        createTokenFails(account, Map.of("name", "x", "scopes", List.of("admin")), "scopes[0]", "must be read or write");
        createTokenFails(account, Map.of("name", "x", "scopes", "read"), "scopes", "must be an array");
        createTokenFails(account, Map.of("name", "x", "scopes", java.util.Arrays.asList((String) null)), "scopes[0]", "must be read or write");
        createTokenFails(account, Map.of("name", "x", "scopes", List.of("read"), "expiresAt", "tomorrow"), "expiresAt",
                "must be a timestamp such as 2027-01-01T00:00:00Z");
        createTokenFails(account, Map.of("name", "x", "scopes", List.of("read"), "expiresAt", "2001-01-01T00:00:00Z"), "expiresAt",
                "must be in the future");
        createTokenFails(account, Map.of("name", "x", "scopes", List.of("read"), "expiresAt", "2999-01-01T00:00:00Z"), "expiresAt",
                "must be at most 10 years ahead");
    }

    @Test
    void expiresAtIsAnRfc3339StringAndNeverANumberReadAsEpochSeconds() {
        TestAccount account = signUp();
        long inAnHour = Instant.now().plus(1, ChronoUnit.HOURS).getEpochSecond();
        createTokenFails(account, Map.of("name", "x", "scopes", List.of("read"), "expiresAt", inAnHour), "expiresAt",
                "must be a timestamp such as 2027-01-01T00:00:00Z");
        createTokenFails(account, Map.of("name", "x", "scopes", List.of("read"), "expiresAt", inAnHour + 0.5), "expiresAt",
                "must be a timestamp such as 2027-01-01T00:00:00Z");
        createTokenFails(account, Map.of("name", "x", "scopes", List.of("read"), "expiresAt", true), "expiresAt",
                "must be a timestamp such as 2027-01-01T00:00:00Z");
        assertThat(createToken(account, Map.of("name", "x", "scopes", List.of("read"), "expiresAt",
                Instant.ofEpochSecond(inAnHour).toString().replace("Z", "+00:00")))).containsKey("token");
    }

    private static Map<String, Object> createToken(TestAccount account, Map<String, ?> body) {
        return TestJson.map(account.browser().post().uri("/api/v1/account/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody());
    }

    private static void createTokenFails(TestAccount account, Map<String, ?> body, String field, String message) {
        account.browser().post().uri("/api/v1/account/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo(field).jsonPath("$.errors[0].message").isEqualTo(message);
    }
}
