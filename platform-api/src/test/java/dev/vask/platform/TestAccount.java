package dev.vask.platform;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.vask.testing.mail.TestMailServer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An account signed up through the API for a test, with its own tenant, a browser session (cookie
 * and CSRF token) and a read/write API token. {@link #api()} sends requests with the token,
 * {@link #browser()} with the session cookie and CSRF header. {@link #signUp} also follows the
 * verification link mailed to the address ({@link TestMailServer}), as its holder would.
 */
public record TestAccount(WebTestClient client, long id, String email, String password, long tenantId, String address,
        String sessionCookie, String csrfToken, String token) {

    public static final String PASSWORD = "correct horse battery staple";

    /** Signs up and verifies the address through the mailed link. */
    public static TestAccount signUp(WebTestClient client, String email, String address) {
        TestAccount account = signUpUnverified(client, email, address);
        account.verify();
        return account;
    }

    /** Follows the newest verification link mailed to this account's address. */
    public void verify() {
        String link = TestMailServer.shared().awaitLink(email, "Verify your email address");
        client.post().uri("/api/v1/email-verification").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", TestMailServer.token(link)))
                .exchange().expectStatus().isOk();
    }

    /** Signs up without following the verification link. */
    public static TestAccount signUpUnverified(WebTestClient client, String email, String address) {
        Map<?, ?> account = client.post().uri("/api/v1/accounts").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", address)
                .bodyValue(Map.of("email", email, "password", PASSWORD))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        long id = ((Number) Objects.requireNonNull(account).get("id")).longValue();
        long tenantId = ((Number) ((Map<?, ?>) ((List<?>) account.get("tenants")).getFirst()).get("id")).longValue();
        return signInWithToken(client, id, email, PASSWORD, tenantId, address);
    }

    /** An existing account (such as the first-start admin) signed in, with a new read/write API token. */
    public static TestAccount existing(WebTestClient client, String email, String password, String address) {
        EntityExchangeResult<Map> result = client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", address)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
        Map<?, ?> account = (Map<?, ?>) Objects.requireNonNull(result.getResponseBody()).get("account");
        long id = ((Number) account.get("id")).longValue();
        long tenantId = ((Number) ((Map<?, ?>) ((List<?>) account.get("tenants")).getFirst()).get("id")).longValue();
        return signInWithToken(client, id, email, password, tenantId, address);
    }

    private static TestAccount signInWithToken(WebTestClient client, long id, String email, String password, long tenantId, String address) {
        Session session = signIn(client, email, password, address);
        Map<?, ?> token = client.post().uri("/api/v1/account/tokens").contentType(MediaType.APPLICATION_JSON)
                .cookie("VASK_SESSION", session.cookie()).cookie("XSRF-TOKEN", session.csrfToken())
                .header("X-XSRF-TOKEN", session.csrfToken())
                .header("X-Forwarded-For", address)
                .bodyValue(Map.of("name", "tests", "scopes", List.of("read", "write")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return new TestAccount(client, id, email, password, tenantId, address, session.cookie(), session.csrfToken(),
                (String) Objects.requireNonNull(token).get("token"));
    }

    /** A signed-in session: the cookie's value and the CSRF token. */
    public record Session(String cookie, String csrfToken) {
    }

    public static Session signIn(WebTestClient client, String email, String password, String address) {
        EntityExchangeResult<Map> result = client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", address)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
        ResponseCookie cookie = Objects.requireNonNull(result.getResponseCookies().getFirst("VASK_SESSION"));
        return new Session(cookie.getValue(), (String) Objects.requireNonNull(result.getResponseBody()).get("csrfToken"));
    }

    /** Requests authenticated with this account's read/write API token. */
    public WebTestClient api() {
        return withToken(token);
    }

    public WebTestClient withToken(String bearer) {
        return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer)
                .defaultHeader("X-Forwarded-For", address).build();
    }

    /** Requests as the dashboard makes them: session cookie plus CSRF header. */
    public WebTestClient browser() {
        return client.mutate().defaultCookie("VASK_SESSION", sessionCookie).defaultHeader("X-XSRF-TOKEN", csrfToken)
                .defaultCookie("XSRF-TOKEN", csrfToken).defaultHeader("X-Forwarded-For", address).build();
    }

    /** Creates an app in this account's tenant and answers its id. */
    public long createApp(String name) {
        Map<?, ?> app = api().post().uri("/api/v1/tenants/{tenant}/apps", tenantId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) Objects.requireNonNull(app).get("id")).longValue();
    }

    /** Creates a key for the app and answers {key, secret, ...}. */
    public Map<?, ?> createKey(long appId) {
        return api().post().uri("/api/v1/apps/{app}/keys", appId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("label", "test"))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    /** Invites another account to this account's tenant with a role, and has it accept (its address must be verified). */
    public void addMember(TestAccount other, String role) {
        long invitation = invite(other.email(), role);
        other.api().post().uri("/api/v1/account/invitations/{id}/accept", invitation)
                .exchange().expectStatus().isOk();
    }

    /** Invites an address to this account's tenant; answers the invitation's id. */
    public long invite(String address, String role) {
        Map<?, ?> invitation = api().post().uri("/api/v1/tenants/{tenant}/invitations", tenantId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", address, "role", role))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) Objects.requireNonNull(invitation).get("id")).longValue();
    }

    @Override
    public String toString() {
        return "TestAccount[" + email + "]";
    }
}
