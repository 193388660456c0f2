package dev.vask.platform.account;

import java.util.Map;
import java.util.Objects;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSRF token belongs to one session: it changes at every sign-in, and neither a token someone planted
 * in a cookie nor another session's token passes with the victim's session cookie.
 */
class SessionCsrfTests extends ManagementApiTestSupport {

    @Test
    void aCsrfTokenPlantedInTheBrowserBeforeSignInIsNotTheSessionsTokenAndIsRefused() {
        TestAccount account = signUp();
        String planted = "planted-by-the-attacker-0123456789";
        // the victim's browser carries the planted cookie when signing in, as a browser would
        EntityExchangeResult<Map> signedIn = client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .cookie("XSRF-TOKEN", planted).header("X-Forwarded-For", account.address())
                .bodyValue(Map.of("email", account.email(), "password", account.password()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
        String session = Objects.requireNonNull(signedIn.getResponseCookies().getFirst("VASK_SESSION")).getValue();
        assertThat(Objects.requireNonNull(signedIn.getResponseBody()).get("csrfToken")).isNotEqualTo(planted);

        renameWith(session, planted, planted).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/csrf");
    }

    @Test
    void signingInAgainRotatesTheTokenAndTheEarlierOneStopsWorking() {
        TestAccount account = signUp();
        EntityExchangeResult<Map> again = client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .cookie("VASK_SESSION", account.sessionCookie()).cookie("XSRF-TOKEN", account.csrfToken())
                .header("X-Forwarded-For", account.address())
                .bodyValue(Map.of("email", account.email(), "password", account.password()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
        String session = Objects.requireNonNull(again.getResponseCookies().getFirst("VASK_SESSION")).getValue();
        String token = (String) Objects.requireNonNull(again.getResponseBody()).get("csrfToken");
        assertThat(token).isNotBlank().isNotEqualTo(account.csrfToken());

        renameWith(session, account.csrfToken(), account.csrfToken()).expectStatus().isForbidden();
        renameWith(session, token, token).expectStatus().isOk();
    }

    @Test
    void anotherSessionsTokenIsRefusedEvenWithAMatchingCookie() {
        TestAccount victim = signUp();
        TestAccount attacker = signUp();

        renameWith(victim.sessionCookie(), attacker.csrfToken(), attacker.csrfToken()).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/csrf");
        // the victim's own session, with the same attacker-chosen pair of cookie and header: still refused
        TestAccount.Session second = TestAccount.signIn(client, victim.email(), victim.password(), victim.address());
        renameWith(victim.sessionCookie(), second.csrfToken(), second.csrfToken()).expectStatus().isForbidden();
    }

    @Test
    void theSessionsTokenPassesWithoutAnyCsrfCookie() {
        TestAccount account = signUp();
        renameWith(account.sessionCookie(), account.csrfToken(), null).expectStatus().isOk()
                .expectBody().jsonPath("$.displayName").isEqualTo("Renamed");
    }

    @Test
    void readingTheSessionAnswersTheSameTokenAsSigningIn() {
        TestAccount account = signUp();
        EntityExchangeResult<Map> read = client.get().uri("/api/v1/session").cookie("VASK_SESSION", account.sessionCookie())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
        assertThat(Objects.requireNonNull(read.getResponseBody()).get("csrfToken")).isEqualTo(account.csrfToken());
        ResponseCookie copy = read.getResponseCookies().getFirst("XSRF-TOKEN");
        assertThat(copy).isNotNull();
        assertThat(copy.getValue()).isEqualTo(account.csrfToken());
    }

    @Test
    void signingOutClearsTheCsrfCookieToo() {
        TestAccount account = signUp();
        var result = account.browser().delete().uri("/api/v1/session").exchange().expectStatus().isNoContent().expectBody().returnResult();
        ResponseCookie csrf = result.getResponseCookies().getFirst("XSRF-TOKEN");
        assertThat(csrf).isNotNull();
        assertThat(csrf.getValue()).isEmpty();
        assertThat(csrf.getMaxAge()).isZero();
    }

    /** PATCH /api/v1/account with the session cookie, the X-XSRF-TOKEN header and (unless null) an XSRF-TOKEN cookie. */
    private WebTestClient.ResponseSpec renameWith(String session, String header, String cookie) {
        WebTestClient.RequestBodySpec request = client.patch().uri("/api/v1/account").contentType(MediaType.APPLICATION_JSON)
                .cookie("VASK_SESSION", session).header("X-XSRF-TOKEN", header);
        if (cookie != null) {
            request = request.cookie("XSRF-TOKEN", cookie);
        }
        return request.bodyValue(Map.of("displayName", "Renamed")).exchange();
    }
}
