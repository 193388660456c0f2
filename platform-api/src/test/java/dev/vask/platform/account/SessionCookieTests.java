package dev.vask.platform.account;

import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attributes of the session and CSRF cookies: SameSite everywhere, and Secure plus the {@code __Host-}
 * name exactly when Vask is served over HTTPS, which only {@code VASK_PUBLIC_URL}, a TLS connection or a
 * trusted proxy can say, never a client's own forwarded header.
 */
class SessionCookieTests extends ManagementApiTestSupport {

    @Test
    void overPlainHttpNeitherCookieIsSecureAndBothAreSameSiteStrict() {
        MultiValueMap<String, ResponseCookie> cookies = signIn(Map.of()).getResponseCookies();

        ResponseCookie session = cookies.getFirst("VASK_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isSecure()).isFalse();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        ResponseCookie csrf = cookies.getFirst("XSRF-TOKEN");
        assertThat(csrf).isNotNull();
        assertThat(csrf.isSecure()).isFalse();
        assertThat(csrf.isHttpOnly()).isFalse();
        assertThat(csrf.getSameSite()).isEqualTo("Strict");
        assertThat(csrf.getPath()).isEqualTo("/");
        assertThat(cookies).doesNotContainKey("__Host-XSRF-TOKEN");
    }

    /** This server applies forwarded headers from anyone (Spring's own strategy), but names no trusted proxy. */
    @Test
    void aForwardedHttpsHeaderFromAClientThatIsNoTrustedProxyDoesNotMakeCookiesSecure() {
        MultiValueMap<String, ResponseCookie> cookies = signIn(Map.of("X-Forwarded-Proto", "https",
                "Forwarded", "proto=https")).getResponseCookies();

        assertThat(cookies.getFirst("VASK_SESSION").isSecure()).isFalse();
        assertThat(cookies).containsKey("XSRF-TOKEN").doesNotContainKey("__Host-XSRF-TOKEN");
    }

    static EntityExchangeResult<Map> signIn(WebTestClient client, TestAccount account, Map<String, String> headers) {
        return client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> headers.forEach(h::set))
                .header("X-Forwarded-For", account.address())
                .bodyValue(Map.of("email", account.email(), "password", account.password()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
    }

    private EntityExchangeResult<Map> signIn(Map<String, String> headers) {
        return signIn(client, signUp(), headers);
    }
}
