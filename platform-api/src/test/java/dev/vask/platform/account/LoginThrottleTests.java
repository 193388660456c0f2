package dev.vask.platform.account;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in throttling per (account, client address) pair and per client address (the defaults: 5 and 20
 * failures, 1 s doubling). The default configuration, with the client address taken from the socket
 * rather than a header, is in {@link SignInLockPerAddressTests}.
 */
class LoginThrottleTests extends ManagementApiTestSupport {

    @Test
    void fiveFailuresFromOneAddressLockThatAddressOutOfTheAccountEvenWithTheRightPasswordButNoOtherAddress() {
        TestAccount account = signUp();
        String attacker = randomAddress();
        for (int i = 0; i < 5; i++) {
            signIn(account.email(), "wrong password " + i, attacker).expectStatus().isUnauthorized();
        }
        signIn(account.email(), account.password(), randomAddress()).expectStatus().isOk();
        signIn(account.email(), account.password(), attacker)
                .expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Integer.parseInt(value)).isBetween(1, 2))
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/too-many-attempts");
    }

    @Test
    void theLockDoublesWithEachFurtherFailureAndASuccessForgetsTheFailures() throws Exception {
        TestAccount account = signUp();
        String address = randomAddress();
        String subject = "pair:" + account.email() + "|" + address;
        for (int i = 0; i < 5; i++) {
            signIn(account.email(), "wrong password", address).expectStatus().isUnauthorized();
        }
        assertThat(lockSeconds(subject)).isBetween(new BigDecimal("0.5"), new BigDecimal("1.0"));
        expireLock(subject);
        signIn(account.email(), "wrong password", address).expectStatus().isUnauthorized();
        assertThat(lockSeconds(subject)).isBetween(new BigDecimal("1.5"), new BigDecimal("2.0"));
        expireLock(subject);
        signIn(account.email(), account.password(), address).expectStatus().isOk();
        assertThat(lockSeconds(subject)).isNull();
        signIn(account.email(), "wrong password", address).expectStatus().isUnauthorized();
        signIn(account.email(), account.password(), address).expectStatus().isOk();
    }

    @Test
    void twentyFailuresFromOneAddressLockThatAddressForEveryAccount() {
        TestAccount account = signUp();
        String address = randomAddress();
        for (int i = 0; i < 20; i++) {
            signIn(uniqueEmail(), "guess " + i, address).expectStatus().isUnauthorized();
        }
        signIn(account.email(), account.password(), address).expectStatus().isEqualTo(429);
        signIn(account.email(), account.password(), randomAddress()).expectStatus().isOk();
    }

    @Test
    void unknownEmailsAreThrottledLikeKnownOnes() {
        String email = uniqueEmail();
        String address = randomAddress();
        for (int i = 0; i < 5; i++) {
            signIn(email, "guess " + i, address).expectStatus().isUnauthorized();
        }
        signIn(email, "guess", address).expectStatus().isEqualTo(429);
    }

    @Test
    void wrongCurrentPasswordsInAPasswordChangeCountAsFailedSignIns() {
        TestAccount account = signUp();
        for (int i = 0; i < 5; i++) {
            account.browser().put().uri("/api/v1/account/password").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("currentPassword", "guess " + i, "newPassword", "a brand new passphrase"))
                    .exchange().expectStatus().isBadRequest();
        }
        account.browser().put().uri("/api/v1/account/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", account.password(), "newPassword", "a brand new passphrase"))
                .exchange().expectStatus().isEqualTo(429);
    }

    @Test
    void subjectsAreThePairOfLowerCaseEmailAndClientAddressAndTheAddressWithIpv6CountedPerSlash64() {
        LoginThrottle.Subjects v4 = LoginThrottle.subjects(" Ada@Example.COM ", java.net.InetSocketAddress.createUnresolved("203.0.113.9", 0));
        assertThat(v4.pair()).isEqualTo("pair:ada@example.com|203.0.113.9");
        assertThat(v4.address()).isEqualTo("address:203.0.113.9");
        LoginThrottle.Subjects v6 = LoginThrottle.subjects("ada@example.com",
                java.net.InetSocketAddress.createUnresolved("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 0));
        assertThat(v6.address()).isEqualTo("address:2001:0db8:0001:0002::/64");
        assertThat(v6.pair()).isEqualTo("pair:ada@example.com|2001:0db8:0001:0002::/64");
        assertThat(LoginThrottle.subjects("ada@example.com", java.net.InetSocketAddress.createUnresolved("proxy.internal", 0)).address()).isNull();
        assertThat(LoginThrottle.subjects("ada@example.com", null).address()).isNull();
        assertThat(LoginThrottle.subjects("ada@example.com", null).pair()).isEqualTo("pair:ada@example.com|unknown");
    }

    private WebTestClient.ResponseSpec signIn(String email, String password, String address) {
        return client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", address)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange();
    }

    private static BigDecimal lockSeconds(String subject) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(
                "select extract(epoch from locked_until - now()) from login_throttle where subject = ? and locked_until > now()")) {
            select.setString(1, subject);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getBigDecimal(1) : null;
            }
        }
    }

    private static void expireLock(String subject) {
        database.execute("update login_throttle set locked_until = now() - interval '1 millisecond' where subject = '" + subject + "'");
    }
}
