package dev.vask.platform.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-up, sign-in, sign-out, password change and the session cookie with its CSRF protection. */
@ExtendWith(OutputCaptureExtension.class)
class AccountApiTests extends ManagementApiTestSupport {

    @Test
    void passwordsTokensAndSecretsNeverReachTheLog(CapturedOutput output) {
        TestAccount account = signUp();
        long app = account.createApp("Logged");
        String secret = (String) account.createKey(app).get("secret");
        account.browser().put().uri("/api/v1/account/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", account.password(), "newPassword", "a brand new passphrase"))
                .exchange().expectStatus().isNoContent();
        assertThat(output.getAll()).contains("Account signed up", "App key created", "Password changed")
                .doesNotContain(account.password()).doesNotContain("a brand new passphrase")
                .doesNotContain(account.token()).doesNotContain(account.token().substring(9))
                .doesNotContain(account.sessionCookie()).doesNotContain(secret);
    }

    @Test
    void signUpCreatesAnAccountOwningANewTenantAndNeverAnswersThePassword() throws Exception {
        String email = uniqueEmail();
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", TestAccount.PASSWORD, "displayName", "Ada", "tenantName", "Engines"))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/account")
                .expectBody()
                .jsonPath("$.email").isEqualTo(email)
                .jsonPath("$.displayName").isEqualTo("Ada")
                .jsonPath("$.tenants[0].name").isEqualTo("Engines")
                .jsonPath("$.tenants[0].role").isEqualTo("owner")
                .jsonPath("$.password").doesNotExist()
                .jsonPath("$.passwordHash").doesNotExist();
        assertThat(passwordHash(email)).startsWith("{bcrypt}$2").doesNotContain(TestAccount.PASSWORD);
    }

    @Test
    void emailIsUniqueWhateverItsCase() {
        String email = uniqueEmail();
        TestAccount.signUp(client, email, randomAddress());
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "  " + email.toUpperCase() + " ", "password", "another good passphrase"))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://vask.dev/problems/email-taken")
                .jsonPath("$.status").isEqualTo(409);
    }

    @Test
    void invalidEmailsAndWeakOrOverlongPasswordsAreRefusedFieldByField() {
        signUpFails(Map.of("email", "not-an-email", "password", TestAccount.PASSWORD), "email", "must be an email address such as ada@example.com");
        signUpFails(Map.of("email", "a@b", "password", TestAccount.PASSWORD), "email", "must be an email address such as ada@example.com");
        signUpFails(Map.of("email", "x".repeat(250) + "@example.com", "password", TestAccount.PASSWORD), "email",
                "must be at most 254 characters");
        signUpFails(Map.of("email", uniqueEmail(), "password", "short"), "password", "must be at least 10 characters");
        signUpFails(Map.of("email", uniqueEmail(), "password", "password123"), "password", "is too easy to guess");
        signUpFails(Map.of("email", uniqueEmail(), "password", "aaaaaaaaaaaaaaa"), "password", "is too easy to guess");
        signUpFails(Map.of("email", uniqueEmail(), "password", "ab1-".repeat(19)), "password", "must be at most 72 bytes (UTF-8)");
        signUpFails(Map.of("email", uniqueEmail(), "password", TestAccount.PASSWORD, "tenantName", "x".repeat(101)), "tenantName",
                "must be 1 to 100 characters");
        signUpFails(Map.of("email", uniqueEmail()), "password", "must not be empty");
    }

    @Test
    void unknownFieldsAndWrongTypesAreRefusedAndCreateNothing() throws Exception {
        String email = uniqueEmail();
        signUpFails(Map.of("email", email, "password", TestAccount.PASSWORD, "role", "owner"), "role", "is not a known field");
        signUpFails(Map.of("email", email, "password", 1234567890123L), "password", "must be a string");
        signUpFails(Map.of("email", Map.of("address", email), "password", TestAccount.PASSWORD), "email", "must be a string");
        assertThat(count("select count(*) from accounts where lower(email) = lower(?)", email)).isZero();
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\": \"" + email + "\", ")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/unreadable-body");
        client.post().uri("/api/v1/accounts").contentType(MediaType.TEXT_PLAIN).bodyValue("{}")
                .exchange().expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void signInSetsAnHttpOnlySameSiteSessionCookieAndAnswersTheCsrfToken() {
        TestAccount account = signUp();
        var result = client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", account.address())
                .bodyValue(Map.of("email", account.email(), "password", account.password()))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult();
        ResponseCookie session = result.getResponseCookies().getFirst("VASK_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/api/v1");
        assertThat(session.getMaxAge().toDays()).isBetween(6L, 7L);
        assertThat(session.getValue()).hasSizeGreaterThanOrEqualTo(43);
        ResponseCookie csrf = result.getResponseCookies().getFirst("XSRF-TOKEN");
        assertThat(csrf).isNotNull();
        assertThat(csrf.isHttpOnly()).isFalse();
        assertThat(result.getResponseBody()).containsEntry("csrfToken", csrf.getValue());
        client.get().uri("/api/v1/session").cookie("VASK_SESSION", session.getValue()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.account.email").isEqualTo(account.email());
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        TestAccount account = signUp();
        String wrongPassword = signInDetail(account.email(), "not the password at all", randomAddress());
        String unknownEmail = signInDetail(uniqueEmail(), "not the password at all", randomAddress());
        assertThat(wrongPassword).isEqualTo(unknownEmail).isEqualTo("Email or password is wrong");
    }

    @Test
    void writesWithTheSessionCookieNeedTheCsrfToken() {
        TestAccount account = signUp();
        client.patch().uri("/api/v1/account").contentType(MediaType.APPLICATION_JSON)
                .cookie("VASK_SESSION", account.sessionCookie())
                .bodyValue(Map.of("displayName", "Forged"))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/csrf");
        client.patch().uri("/api/v1/account").contentType(MediaType.APPLICATION_JSON)
                .cookie("VASK_SESSION", account.sessionCookie()).cookie("XSRF-TOKEN", account.csrfToken())
                .header("X-XSRF-TOKEN", "wrong-token")
                .bodyValue(Map.of("displayName", "Forged"))
                .exchange().expectStatus().isForbidden();
        account.browser().patch().uri("/api/v1/account").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("displayName", "Ada"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.displayName").isEqualTo("Ada");
        // bearer tokens cannot be sent by a forged cross-site request: no CSRF token needed
        account.api().patch().uri("/api/v1/account").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("displayName", "Ada L."))
                .exchange().expectStatus().isOk();
    }

    @Test
    void aDisplayNameLeftOutStaysAndNullRemovesIt() {
        TestAccount account = signUp();
        account.api().patch().uri("/api/v1/account").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("displayName", "Ada"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.displayName").isEqualTo("Ada");
        account.api().patch().uri("/api/v1/account").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.displayName").isEqualTo("Ada");
        Map<String, Object> removed = new java.util.HashMap<>();
        removed.put("displayName", null);
        account.api().patch().uri("/api/v1/account").contentType(MediaType.APPLICATION_JSON).bodyValue(removed)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.displayName").doesNotExist();
    }

    @Test
    void signingOutEndsTheSessionAndClearsTheCookie() {
        TestAccount account = signUp();
        var result = account.browser().delete().uri("/api/v1/session").exchange()
                .expectStatus().isNoContent()
                .expectBody().isEmpty();
        ResponseCookie cleared = result.getResponseCookies().getFirst("VASK_SESSION");
        assertThat(cleared).isNotNull();
        assertThat(cleared.getMaxAge()).isZero();
        client.get().uri("/api/v1/account").cookie("VASK_SESSION", account.sessionCookie()).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("Your session has ended; sign in again");
    }

    @Test
    void changingThePasswordEndsOtherSessionsButNotThisOneNorTheApiTokens() {
        TestAccount account = signUp();
        TestAccount.Session other = TestAccount.signIn(client, account.email(), account.password(), account.address());
        account.browser().put().uri("/api/v1/account/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", account.password(), "newPassword", "a brand new passphrase"))
                .exchange().expectStatus().isNoContent();
        client.get().uri("/api/v1/account").cookie("VASK_SESSION", other.cookie()).exchange().expectStatus().isUnauthorized();
        account.browser().get().uri("/api/v1/account").exchange().expectStatus().isOk();
        account.api().get().uri("/api/v1/account").exchange().expectStatus().isOk();
        assertThat(signInDetail(account.email(), account.password(), account.address())).isEqualTo("Email or password is wrong");
        TestAccount.signIn(client, account.email(), "a brand new passphrase", account.address());
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndAStrongNewOne() {
        TestAccount account = signUp();
        account.browser().put().uri("/api/v1/account/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", "not my password", "newPassword", "a brand new passphrase"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("currentPassword");
        account.browser().put().uri("/api/v1/account/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", account.password(), "newPassword", "qwertyuiop"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("newPassword")
                .jsonPath("$.errors[0].message").value(text -> assertThat((String) text).startsWith("is too easy to guess"));
        // API tokens cannot change the password
        account.api().put().uri("/api/v1/account/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", account.password(), "newPassword", "a brand new passphrase"))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/insufficient-scope");
    }

    @Test
    void requestsWithoutValidCredentialsAreUnauthorizedProblems() {
        client.get().uri("/api/v1/account").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/unauthorized");
        client.get().uri("/api/v1/account").header(HttpHeaders.AUTHORIZATION, "Basic YWRtaW46YWRtaW4=").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("The management API accepts 'Authorization: Bearer <token>' only");
        client.get().uri("/api/v1/account").header(HttpHeaders.AUTHORIZATION, "Bearer vask_pat_" + "x".repeat(43)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("Unknown API token");
        client.get().uri("/api/v1/account").cookie("VASK_SESSION", "forged").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void theAccountListsItsTenantsWithItsRoleInEach() {
        TestAccount owner = signUp();
        TestAccount member = signUp();
        owner.addMember(member, "viewer");
        member.api().get().uri("/api/v1/account").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.tenants.length()").isEqualTo(2)
                .jsonPath("$.tenants[?(@.id == " + owner.tenantId() + ")].role").isEqualTo("viewer")
                .jsonPath("$.tenants[?(@.id == " + member.tenantId() + ")].role").isEqualTo("owner");
    }

    private void signUpFails(Map<String, ?> body, String field, String message) {
        client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://vask.dev/problems/validation")
                .jsonPath("$.errors[0].field").isEqualTo(field)
                .jsonPath("$.errors[0].message").value(text -> assertThat((String) text).startsWith(message));
    }

    private String signInDetail(String email, String password, String address) {
        Map<?, ?> problem = client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", address)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange().expectStatus().isUnauthorized()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) problem.get("detail");
    }

    private static String passwordHash(String email) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("select password_hash from accounts where email = ?")) {
            select.setString(1, email);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static int count(String sql, String parameter) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
