package dev.vask.platform.invitation;

import java.util.List;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.TestJson;
import dev.vask.testing.mail.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit's takeover in advance: an attacker signs up with a new hire's address before the new hire
 * does, then a tenant admin "adds" that address. The attacker must see nothing of the tenant, and the
 * real holder of the address must still get in.
 */
class AddressTakeoverTests extends ManagementApiTestSupport {

    @Test
    void anAccountWithAnUnverifiedAddressThatAnAdminInvitesSeesNothingOfTheTenant() {
        TestAccount admin = signUp();
        long app = admin.createApp("Payments");
        admin.createKey(app);
        TestAccount attacker = signUpUnverified(); // signed up with the new hire's address, which the attacker cannot read

        // the old way of adding someone is gone: no membership follows from it
        admin.api().post().uri("/api/v1/tenants/{t}/members", admin.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", attacker.email(), "role", "developer"))
                .exchange().expectStatus().is4xxClientError();
        long invitation = admin.invite(attacker.email(), "developer");

        attacker.api().get().uri("/api/v1/apps/{a}/keys", app).exchange().expectStatus().isNotFound();
        attacker.api().get().uri("/api/v1/apps/{a}", app).exchange().expectStatus().isNotFound();
        attacker.api().get().uri("/api/v1/tenants/{t}", admin.tenantId()).exchange().expectStatus().isNotFound();
        attacker.api().get().uri("/api/v1/apps").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[*].id").value(ids -> assertThat(TestJson.list(ids)).doesNotContain((int) app));
        attacker.api().get().uri("/api/v1/account/invitations").exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/address-unverified");
        attacker.api().post().uri("/api/v1/account/invitations/{i}/accept", invitation).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/address-unverified");
        // even with the link from the mail (which only the holder of the address reads)
        String link = mail.awaitLink(attacker.email(), "You are invited");
        attacker.api().post().uri("/api/v1/account/invitations/accept").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", TestMailServer.token(link)))
                .exchange().expectStatus().isForbidden();
        attacker.api().get().uri("/api/v1/apps/{a}/keys", app).exchange().expectStatus().isNotFound();
        admin.api().get().uri("/api/v1/tenants/{t}/members", admin.tenantId()).exchange()
                .expectBody().jsonPath("$[*].email").value(emails -> assertThat(TestJson.list(emails)).containsExactly(admin.email()));
        // and the database refuses such a membership whatever code path tries it
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> database.execute("insert into tenant_members (tenant_id, account_id, role) "
                        + "values (" + admin.tenantId() + ", " + attacker.id() + ", 'viewer')"))
                .hasMessageContaining("has no verified email address and cannot join tenant");
    }

    @Test
    void theRealHolderOfTheAddressTakesTheAccountBackAndAcceptsWhileTheSquattersCredentialsStopWorking() {
        TestAccount admin = signUp();
        long app = admin.createApp("Payments");
        TestAccount squatter = signUpUnverified();
        long invitation = admin.invite(squatter.email(), "developer");

        // the new hire cannot sign up (the address is taken) and resets the password through the mail they receive
        client.post().uri("/api/v1/password-reset").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", randomAddress())
                .bodyValue(Map.of("email", squatter.email())).exchange().expectStatus().isAccepted();
        String reset = mail.awaitLink(squatter.email(), "Reset your Vask password");
        client.post().uri("/api/v1/password-reset/confirm").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", TestMailServer.token(reset), "newPassword", "the new hire's own long passphrase"))
                .exchange().expectStatus().isNoContent();

        squatter.browser().get().uri("/api/v1/account").exchange().expectStatus().isUnauthorized();
        squatter.api().get().uri("/api/v1/account").exchange().expectStatus().isUnauthorized();

        String address = randomAddress();
        TestAccount.Session session = TestAccount.signIn(client, squatter.email(), "the new hire's own long passphrase", address);
        TestAccount newHire = new TestAccount(client, squatter.id(), squatter.email(), "the new hire's own long passphrase", squatter.tenantId(),
                address, session.cookie(), session.csrfToken(), "");
        newHire.browser().get().uri("/api/v1/account").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.emailVerified").isEqualTo(true);
        List<Object> received = TestJson.list(newHire.browser().get().uri("/api/v1/account/invitations").exchange()
                .expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody());
        assertThat(received).extracting(item -> TestJson.map(item).get("tenantId")).containsExactly((int) admin.tenantId());
        newHire.browser().post().uri("/api/v1/account/invitations/{i}/accept", invitation).exchange().expectStatus().isOk();
        newHire.browser().get().uri("/api/v1/apps/{a}/keys", app).exchange().expectStatus().isOk();
    }
}
