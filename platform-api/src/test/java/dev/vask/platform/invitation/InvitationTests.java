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

/** Invitations from both sides: sending, listing, accepting from the mailed link, declining, revoking, expiry. */
class InvitationTests extends ManagementApiTestSupport {

    @Test
    void invitingAnswersTheSameWhetherOrNotAnAccountHasTheAddressAndMailsBoth() {
        TestAccount admin = signUp();
        TestAccount existing = signUp();
        String nobody = uniqueEmail();
        Map<String, Object> toExisting = invite(admin, existing.email(), "viewer");
        Map<String, Object> toNobody = invite(admin, nobody, "viewer");
        assertThat(toExisting.keySet()).isEqualTo(toNobody.keySet());
        assertThat(toExisting).containsEntry("email", existing.email()).containsEntry("role", "viewer").containsEntry("invitedBy", admin.email());
        assertThat(toNobody).containsEntry("email", nobody).containsEntry("role", "viewer").containsEntry("invitedBy", admin.email());

        TestMailServer.Received mailToExisting = mail.await(existing.email(), "You are invited");
        TestMailServer.Received mailToNobody = mail.await(nobody, "You are invited");
        assertThat(mailToExisting.text()).contains(admin.email(), "as viewer").contains(mailToExisting.link());
        assertThat(mailToNobody.link()).contains("/dashboard/invitations#token=");
        assertThat(mailToExisting.text().replace(existing.email(), "X").replace(mailToExisting.link(), "L"))
                .isEqualTo(mailToNobody.text().replace(nobody, "X").replace(mailToNobody.link(), "L"));
    }

    @Test
    void bothSidesSeeTheOpenInvitationUntilTheInvitedPersonAcceptsFromTheLink() {
        TestAccount admin = signUp();
        TestAccount invited = signUp();
        long invitation = admin.invite(invited.email(), "developer");

        admin.api().get().uri("/api/v1/tenants/{t}/invitations", admin.tenantId()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[0].id").isEqualTo(invitation).jsonPath("$[0].email").isEqualTo(invited.email());
        List<Object> received = TestJson.list(invited.api().get().uri("/api/v1/account/invitations").exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody());
        assertThat(received).hasSize(1);
        assertThat(TestJson.map(received.getFirst())).containsEntry("tenantId", (int) admin.tenantId()).containsEntry("role", "developer")
                .containsEntry("invitedBy", admin.email());

        String token = TestMailServer.token(mail.awaitLink(invited.email(), "You are invited"));
        invited.api().post().uri("/api/v1/account/invitations/accept").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(admin.tenantId()).jsonPath("$.role").isEqualTo("developer");
        // the link works once
        invited.api().post().uri("/api/v1/account/invitations/accept").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token)).exchange().expectStatus().isNotFound();
        admin.api().get().uri("/api/v1/tenants/{t}/invitations", admin.tenantId()).exchange().expectBody().jsonPath("$.length()").isEqualTo(0);
        invited.api().get().uri("/api/v1/account/invitations").exchange().expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void anInvitationForAnotherAddressCannotBeAcceptedEvenWithItsLink() {
        TestAccount admin = signUp();
        TestAccount intended = signUp();
        TestAccount other = signUp();
        long invitation = admin.invite(intended.email(), "admin");
        String token = TestMailServer.token(mail.awaitLink(intended.email(), "You are invited"));
        other.api().post().uri("/api/v1/account/invitations/{i}/accept", invitation).exchange().expectStatus().isNotFound();
        other.api().post().uri("/api/v1/account/invitations/accept").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token)).exchange().expectStatus().isNotFound();
        other.api().post().uri("/api/v1/account/invitations/{i}/decline", invitation).exchange().expectStatus().isNotFound();
        other.api().get().uri("/api/v1/tenants/{t}", admin.tenantId()).exchange().expectStatus().isNotFound();
        intended.api().post().uri("/api/v1/account/invitations/{i}/accept", invitation).exchange().expectStatus().isOk();
    }

    @Test
    void aDeclinedInvitationIsGoneForBothSidesAndRecorded() {
        TestAccount admin = signUp();
        TestAccount invited = signUp();
        long invitation = admin.invite(invited.email(), "viewer");
        invited.api().post().uri("/api/v1/account/invitations/{i}/decline", invitation).exchange().expectStatus().isNoContent();
        invited.api().post().uri("/api/v1/account/invitations/{i}/accept", invitation).exchange().expectStatus().isNotFound();
        invited.api().get().uri("/api/v1/tenants/{t}", admin.tenantId()).exchange().expectStatus().isNotFound();
        admin.api().get().uri("/api/v1/tenants/{t}/invitations", admin.tenantId()).exchange().expectBody().jsonPath("$.length()").isEqualTo(0);
        admin.api().get().uri("/api/v1/tenants/{t}/audit-events?limit=1", admin.tenantId()).exchange()
                .expectBody().jsonPath("$.events[0].action").isEqualTo("invitation.declined")
                .jsonPath("$.events[0].actorEmail").isEqualTo(invited.email());
    }

    @Test
    void aRevokedInvitationCanNoLongerBeAcceptedAndOnlyAdminsRevoke() {
        TestAccount admin = signUp();
        TestAccount viewer = signUp();
        admin.addMember(viewer, "viewer");
        TestAccount invited = signUp();
        long invitation = admin.invite(invited.email(), "developer");
        viewer.api().delete().uri("/api/v1/tenants/{t}/invitations/{i}", admin.tenantId(), invitation).exchange().expectStatus().isForbidden();
        admin.api().delete().uri("/api/v1/tenants/{t}/invitations/{i}", admin.tenantId(), invitation).exchange().expectStatus().isNoContent();
        invited.api().post().uri("/api/v1/account/invitations/{i}/accept", invitation).exchange().expectStatus().isNotFound();
        invited.api().get().uri("/api/v1/tenants/{t}", admin.tenantId()).exchange().expectStatus().isNotFound();
        admin.api().delete().uri("/api/v1/tenants/{t}/invitations/{i}", admin.tenantId(), invitation).exchange().expectStatus().isNotFound();
    }

    @Test
    void anExpiredInvitationCannotBeAcceptedAndInvitingAgainReplacesIt() {
        TestAccount admin = signUp();
        TestAccount invited = signUp();
        long first = admin.invite(invited.email(), "viewer");
        database.execute("update invitations set created_at = now() - interval '8 days', expires_at = now() - interval '1 day' where id = " + first);
        invited.api().post().uri("/api/v1/account/invitations/{i}/accept", first).exchange().expectStatus().isNotFound();
        invited.api().get().uri("/api/v1/account/invitations").exchange().expectBody().jsonPath("$.length()").isEqualTo(0);

        long second = admin.invite(invited.email(), "admin");
        invited.api().post().uri("/api/v1/account/invitations/{i}/accept", second).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.role").isEqualTo("admin");
    }

    @Test
    void onlyOwnersInviteOwners() {
        TestAccount owner = signUp();
        TestAccount admin = signUp();
        owner.addMember(admin, "admin");
        admin.api().post().uri("/api/v1/tenants/{t}/invitations", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", uniqueEmail(), "role", "owner")).exchange().expectStatus().isForbidden();
        admin.api().post().uri("/api/v1/tenants/{t}/invitations", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", uniqueEmail(), "role", "developer")).exchange().expectStatus().isCreated();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> invite(TestAccount by, String email, String role) {
        return by.api().post().uri("/api/v1/tenants/{t}/invitations", by.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "role", role))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }
}
