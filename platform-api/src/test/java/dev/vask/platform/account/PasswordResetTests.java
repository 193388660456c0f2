package dev.vask.platform.account;

import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.testing.mail.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Password reset by mail: the same answer for unknown addresses, single-use expiring links, and every session ended. */
class PasswordResetTests extends ManagementApiTestSupport {

    private static final String NEW_PASSWORD = "seven purple otters juggling teacups";

    @Test
    void aResetLinkSetsTheNewPasswordOnceAndEndsEverySession() {
        TestAccount account = signUp();
        TestAccount.Session other = TestAccount.signIn(client, account.email(), account.password(), randomAddress());
        request(account.email()).expectStatus().isAccepted();
        String link = mail.awaitLink(account.email(), "Reset your Vask password");
        assertThat(link).contains("/dashboard/reset-password#token=");

        confirm(TestMailServer.token(link), NEW_PASSWORD).expectStatus().isNoContent();
        account.browser().get().uri("/api/v1/account").exchange().expectStatus().isUnauthorized();
        client.get().uri("/api/v1/account").cookie("VASK_SESSION", other.cookie()).exchange().expectStatus().isUnauthorized();
        // a verified account keeps its API tokens: only an unverified one's are revoked (see AddressTakeoverTests)
        account.api().get().uri("/api/v1/account").exchange().expectStatus().isOk();
        signIn(account.email(), account.password()).expectStatus().isUnauthorized();
        signIn(account.email(), NEW_PASSWORD).expectStatus().isOk();

        confirm(TestMailServer.token(link), "yet another long passphrase here").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/invalid-link");
    }

    @Test
    void anUnknownAddressGetsTheSameAnswerAndNoMail() {
        String nobody = uniqueEmail();
        request(nobody).expectStatus().isAccepted().expectBody().isEmpty();
        TestAccount account = signUp();
        request(account.email()).expectStatus().isAccepted().expectBody().isEmpty();
        mail.awaitLink(account.email(), "Reset your Vask password");
        assertThat(mail.allTo(nobody)).isEmpty();
    }

    @Test
    void anExpiredLinkOrAWeakPasswordChangesNothing() {
        TestAccount account = signUp();
        request(account.email()).expectStatus().isAccepted();
        String token = TestMailServer.token(mail.awaitLink(account.email(), "Reset your Vask password"));
        confirm(token, "password123").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("newPassword");
        database.execute("update account_tokens set created_at = now() - interval '2 hours', expires_at = now() - interval '1 second' "
                + "where purpose = 'reset' and account_id = " + account.id());
        confirm(token, NEW_PASSWORD).expectStatus().isBadRequest();
        signIn(account.email(), account.password()).expectStatus().isOk();
    }

    @Test
    void aResetForgetsTheFailedSignInsThatLockedTheAccount() {
        TestAccount account = signUp();
        String address = randomAddress();
        for (int i = 0; i < 5; i++) {
            client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON).header("X-Forwarded-For", address)
                    .bodyValue(Map.of("email", account.email(), "password", "guess " + i)).exchange().expectStatus().isUnauthorized();
        }
        client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON).header("X-Forwarded-For", address)
                .bodyValue(Map.of("email", account.email(), "password", account.password())).exchange().expectStatus().isEqualTo(429);
        request(account.email()).expectStatus().isAccepted();
        confirm(TestMailServer.token(mail.awaitLink(account.email(), "Reset your Vask password")), NEW_PASSWORD).expectStatus().isNoContent();
        client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON).header("X-Forwarded-For", address)
                .bodyValue(Map.of("email", account.email(), "password", NEW_PASSWORD)).exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec request(String email) {
        return client.post().uri("/api/v1/password-reset").contentType(MediaType.APPLICATION_JSON).header("X-Forwarded-For", randomAddress())
                .bodyValue(Map.of("email", email)).exchange();
    }

    private WebTestClient.ResponseSpec confirm(String token, String password) {
        return client.post().uri("/api/v1/password-reset/confirm").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token, "newPassword", password)).exchange();
    }

    private WebTestClient.ResponseSpec signIn(String email, String password) {
        return client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON).header("X-Forwarded-For", randomAddress())
                .bodyValue(Map.of("email", email, "password", password)).exchange();
    }
}
