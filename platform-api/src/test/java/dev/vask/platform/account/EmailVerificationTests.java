package dev.vask.platform.account;

import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.testing.mail.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifying an address: the mail sent at sign-up, its link working once and expiring, and asking for a new one. */
class EmailVerificationTests extends ManagementApiTestSupport {

    @Test
    void signUpMailsASingleUseLinkThatVerifiesTheAddress() {
        TestAccount account = signUpUnverified();
        account.api().get().uri("/api/v1/account").exchange().expectBody().jsonPath("$.emailVerified").isEqualTo(false);
        TestMailServer.Received message = mail.await(account.email(), "Verify your email address");
        assertThat(message.from()).isEqualTo("vask@example.com");
        assertThat(message.link()).startsWith("http://localhost:").contains("/dashboard/verify#token=");

        verify(TestMailServer.token(message.link())).expectStatus().isOk()
                .expectBody().jsonPath("$.email").isEqualTo(account.email()).jsonPath("$.emailVerified").isEqualTo(true);
        account.api().get().uri("/api/v1/account").exchange().expectBody().jsonPath("$.emailVerified").isEqualTo(true);
        verify(TestMailServer.token(message.link())).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/invalid-link");
    }

    @Test
    void anExpiredOrMadeUpLinkVerifiesNothing() {
        TestAccount account = signUpUnverified();
        String token = TestMailServer.token(mail.awaitLink(account.email(), "Verify your email address"));
        database.execute("update account_tokens set created_at = now() - interval '3 days', expires_at = now() - interval '1 second' "
                + "where account_id = " + account.id());
        verify(token).expectStatus().isBadRequest();
        verify("made-up-token-" + "x".repeat(30)).expectStatus().isBadRequest();
        account.api().get().uri("/api/v1/account").exchange().expectBody().jsonPath("$.emailVerified").isEqualTo(false);
    }

    @Test
    void askingForANewLinkCancelsTheOldOneAndAVerifiedAddressNeedsNone() {
        TestAccount account = signUpUnverified();
        String old = TestMailServer.token(mail.awaitLink(account.email(), "Verify your email address"));
        account.api().post().uri("/api/v1/account/verification-mail").exchange().expectStatus().isAccepted();
        String fresh = TestMailServer.token(mail.awaitLink(account.email(), "Verify your email address"));
        assertThat(fresh).isNotEqualTo(old);
        verify(old).expectStatus().isBadRequest();
        verify(fresh).expectStatus().isOk();
        account.api().post().uri("/api/v1/account/verification-mail").exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/already-verified");
    }

    @Test
    void linksAreStoredOnlyAsHashes() throws Exception {
        TestAccount account = signUpUnverified();
        String token = TestMailServer.token(mail.awaitLink(account.email(), "Verify your email address"));
        try (var connection = database.connect(); var statement = connection.createStatement();
                var rows = statement.executeQuery("select encode(token_hash, 'escape') || encode(token_hash, 'hex') from account_tokens")) {
            while (rows.next()) {
                assertThat(rows.getString(1)).doesNotContain(token);
            }
        }
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec verify(String token) {
        return client.post().uri("/api/v1/email-verification").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token)).exchange();
    }
}
