package dev.vask.platform.edge;

import java.net.InetSocketAddress;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code vask.trusted-proxies} naming 127.0.0.1, requests from there are a proxy's: their
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-For} count. The same headers from 127.0.0.2, a peer
 * that are no trusted proxy, are ignored: neither the scheme (cookie security) nor the client address
 * (sign-in throttling) moves. Sign-in locks here after two failures per address, for a minute.
 */
@TestPropertySource(properties = {"vask.trusted-proxies=127.0.0.1, ::1", "vask.management.login.address-failures=2",
        "vask.management.login.account-failures=1000", "vask.management.login.first-lock=1m", "vask.management.login.max-lock=1m"})
class TrustedProxyTests extends ManagementApiTestSupport {

    @LocalServerPort
    int port;

    @Test
    void httpsForwardedByATrustedProxyMakesTheCookiesSecure() {
        MultiValueMap<String, ResponseCookie> cookies = signIn(client, signUp(), "https").getResponseCookies();

        assertThat(cookies.getFirst("VASK_SESSION").isSecure()).isTrue();
        assertThat(cookies.getFirst("__Host-XSRF-TOKEN").isSecure()).isTrue();
        assertThat(cookies).doesNotContainKey("XSRF-TOKEN");
    }

    @Test
    void httpsForwardedByAPeerThatIsNoTrustedProxyIsIgnored() {
        MultiValueMap<String, ResponseCookie> cookies = signIn(fromUntrustedPeer("127.0.0.2"), signUp(), "https").getResponseCookies();

        assertThat(cookies.getFirst("VASK_SESSION").isSecure()).isFalse();
        assertThat(cookies).containsKey("XSRF-TOKEN").doesNotContainKey("__Host-XSRF-TOKEN");
    }

    @Test
    void aPeerThatIsNoTrustedProxyCannotPickItsClientAddressToDodgeSignInThrottling() {
        WebTestClient untrusted = fromUntrustedPeer("127.0.0.3");
        String email = signUp().email();
        failSignIn(untrusted, email, "10.77.0.1").expectStatus().isUnauthorized();
        failSignIn(untrusted, email, "10.77.0.2").expectStatus().isUnauthorized();
        // both failures counted against 127.0.0.3, whatever X-Forwarded-For claimed
        failSignIn(untrusted, email, "10.77.0.3").expectStatus().isEqualTo(429);
    }

    @Test
    void behindTrustedProxiesTheClientIsTheRightMostForwardedAddressThatIsNoProxy() {
        String email = signUp().email();
        // the left-most entries are whatever the client sent; the proxy appended the address it saw, 10.88.0.9
        failSignIn(client, email, "6.6.6.1, 10.88.0.9").expectStatus().isUnauthorized();
        failSignIn(client, email, "6.6.6.2, 10.88.0.9, 127.0.0.1").expectStatus().isUnauthorized();
        failSignIn(client, email, "6.6.6.3, 10.88.0.9").expectStatus().isEqualTo(429);
        // another client behind the same proxy is not locked out
        failSignIn(client, email, "10.88.0.10").expectStatus().isUnauthorized();
    }

    /** A client whose connections come from this loopback address (Linux routes all of 127.0.0.0/8 to lo). */
    private WebTestClient fromUntrustedPeer(String address) {
        HttpClient http = HttpClient.create().bindAddress(() -> new InetSocketAddress(address, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(http)).baseUrl("http://127.0.0.1:" + port).build();
    }

    private static WebTestClient.ResponseSpec failSignIn(WebTestClient client, String email, String forwardedFor) {
        return client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", forwardedFor)
                .bodyValue(Map.of("email", email, "password", "not the password at all"))
                .exchange();
    }

    private static EntityExchangeResult<Map> signIn(WebTestClient client, TestAccount account,
            String forwardedProto) {
        return client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-Proto", forwardedProto)
                .header("X-Forwarded-For", account.address())
                .bodyValue(Map.of("email", account.email(), "password", account.password()))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult();
    }
}
