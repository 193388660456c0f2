package dev.vask.platform.account;

import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code VASK_PUBLIC_URL} on https, the session and CSRF cookies are Secure and the CSRF cookie is {@code __Host-}. */
@TestPropertySource(properties = "vask.public-url=https://vask.example.com")
class HttpsSessionCookieTests extends ManagementApiTestSupport {

    @Test
    void bothCookiesAreSecureAndTheCsrfCookieTakesTheHostPrefix() {
        EntityExchangeResult<Map> result = signIn(Map.of());
        MultiValueMap<String, ResponseCookie> cookies = result.getResponseCookies();

        ResponseCookie session = cookies.getFirst("VASK_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isSecure()).isTrue();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        ResponseCookie csrf = cookies.getFirst("__Host-XSRF-TOKEN");
        assertThat(csrf).isNotNull();
        // what browsers demand of a __Host- cookie: Secure, path /, no Domain
        assertThat(csrf.isSecure()).isTrue();
        assertThat(csrf.getPath()).isEqualTo("/");
        assertThat(csrf.getDomain()).isNull();
        assertThat(csrf.getSameSite()).isEqualTo("Strict");
        assertThat(csrf.getValue()).isEqualTo(result.getResponseBody().get("csrfToken"));
        assertThat(cookies).doesNotContainKey("XSRF-TOKEN");
    }

    @Test
    void signingOutClearsTheHostPrefixedCookie() {
        EntityExchangeResult<Map> result = signIn(Map.of());
        String session = result.getResponseCookies().getFirst("VASK_SESSION").getValue();
        MultiValueMap<String, ResponseCookie> cleared = client.delete().uri("/api/v1/session").cookie("VASK_SESSION", session)
                .header("X-XSRF-TOKEN", (String) result.getResponseBody().get("csrfToken"))
                .exchange().expectStatus().isNoContent().expectBody().returnResult().getResponseCookies();
        assertThat(cleared.getFirst("__Host-XSRF-TOKEN").getMaxAge()).isZero();
        assertThat(cleared.getFirst("__Host-XSRF-TOKEN").isSecure()).isTrue();
        assertThat(cleared.getFirst("VASK_SESSION").isSecure()).isTrue();
    }

    private EntityExchangeResult<Map> signIn(Map<String, String> headers) {
        return SessionCookieTests.signIn(client, signUp(), headers);
    }
}
