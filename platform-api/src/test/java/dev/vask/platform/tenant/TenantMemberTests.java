package dev.vask.platform.tenant;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.TestJson;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tenants and members: invitations by email, role changes, leaving, the last owner, tenant deletion. */
class TenantMemberTests extends ManagementApiTestSupport {

    @Autowired
    AppDirectory directory;

    @Test
    void anInvitedAccountJoinsOnlyWhenItAcceptsAndItsAddressMatchesWhateverItsCase() {
        TestAccount owner = signUp();
        TestAccount invited = signUp();
        long invitation = owner.invite(invited.email().toUpperCase(), "developer");
        invited.api().get().uri("/api/v1/tenants/{t}", owner.tenantId()).exchange().expectStatus().isNotFound();
        owner.api().get().uri("/api/v1/tenants/{t}/members", owner.tenantId()).exchange()
                .expectBody().jsonPath("$[*].role").value(roles -> assertThat(TestJson.list(roles)).containsExactly("owner"));

        invited.api().post().uri("/api/v1/account/invitations/{i}/accept", invitation).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(owner.tenantId()).jsonPath("$.role").isEqualTo("developer");
        invited.api().get().uri("/api/v1/tenants/{t}", owner.tenantId()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.role").isEqualTo("developer");
        owner.api().get().uri("/api/v1/tenants/{t}/members", owner.tenantId()).exchange()
                .expectBody().jsonPath("$[*].role").value(roles -> assertThat(TestJson.list(roles)).containsExactly("owner", "developer"));
        owner.api().get().uri("/api/v1/tenants/{t}/invitations", owner.tenantId()).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void existingMembersBadAddressesAndUnknownRolesAreRefused() {
        TestAccount owner = signUp();
        TestAccount member = signUp();
        owner.addMember(member, "viewer");
        invite(owner, "not an address", "viewer")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("email");
        invite(owner, member.email(), "admin")
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/already-member");
        invite(owner, member.email(), "superuser")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("role")
                .jsonPath("$.errors[0].message").isEqualTo("must be owner, admin, developer or viewer");
    }

    @Test
    void adminsManageMembersButNeverTouchOwners() {
        TestAccount owner = signUp();
        TestAccount admin = signUp();
        TestAccount developer = signUp();
        owner.addMember(admin, "admin");
        Map<?, ?> invitation = invite(admin, owner.tenantId(), developer.email(), "developer").expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        developer.api().post().uri("/api/v1/account/invitations/{i}/accept", invitation.get("id")).exchange().expectStatus().isOk();
        invite(admin, owner.tenantId(), signUp().email(), "owner").expectStatus().isForbidden();
        changeRole(admin, owner.tenantId(), developer.id(), "owner").expectStatus().isForbidden();
        changeRole(admin, owner.tenantId(), owner.id(), "viewer").expectStatus().isForbidden();
        admin.api().delete().uri("/api/v1/tenants/{t}/members/{a}", owner.tenantId(), owner.id()).exchange().expectStatus().isForbidden();
        changeRole(admin, owner.tenantId(), developer.id(), "viewer").expectStatus().isOk()
                .expectBody().jsonPath("$.role").isEqualTo("viewer");
        admin.api().delete().uri("/api/v1/tenants/{t}/members/{a}", owner.tenantId(), developer.id()).exchange().expectStatus().isNoContent();
        developer.api().get().uri("/api/v1/tenants/{t}", owner.tenantId()).exchange().expectStatus().isNotFound();
    }

    @Test
    void theLastOwnerCanNeitherLeaveNorBeDemotedButCanHandOverFirst() {
        TestAccount owner = signUp();
        TestAccount successor = signUp();
        owner.addMember(successor, "admin");
        owner.api().delete().uri("/api/v1/tenants/{t}/members/{a}", owner.tenantId(), owner.id()).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/last-owner");
        changeRole(owner, owner.tenantId(), owner.id(), "admin").expectStatus().isEqualTo(409);
        changeRole(owner, owner.tenantId(), successor.id(), "owner").expectStatus().isOk();
        owner.api().delete().uri("/api/v1/tenants/{t}/members/{a}", owner.tenantId(), owner.id()).exchange().expectStatus().isNoContent();
        owner.api().get().uri("/api/v1/tenants/{t}", owner.tenantId()).exchange().expectStatus().isNotFound();
        successor.api().get().uri("/api/v1/tenants/{t}", owner.tenantId()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.role").isEqualTo("owner");
    }

    @Test
    void twoOwnersDemotingEachOtherAtOnceLeaveTheTenantWithAnOwner() {
        TestAccount first = signUp();
        TestAccount second = signUp();
        first.addMember(second, "owner");
        List<Integer> statuses = Flux.just(
                        Mono.fromCallable(() -> changeRole(first, first.tenantId(), second.id(), "viewer").returnResult(Void.class)
                                .getStatus().value()),
                        Mono.fromCallable(() -> changeRole(second, first.tenantId(), first.id(), "viewer").returnResult(Void.class)
                                .getStatus().value()))
                .flatMap(call -> call.subscribeOn(Schedulers.boundedElastic()))
                .collectList().block(Duration.ofSeconds(30));
        // the first demotion wins; the second caller is then a viewer (403), or finds no other owner left (409)
        assertThat(statuses).hasSize(2).containsOnlyOnce(200).allMatch(status -> status == 200 || status == 403 || status == 409);
        first.api().get().uri("/api/v1/tenants/{t}/members", first.tenantId()).exchange()
                .expectBody().jsonPath("$[?(@.role == 'owner')]").value(owners -> assertThat(TestJson.list(owners)).hasSize(1));
    }

    @Test
    void anyMemberMayLeave() {
        TestAccount owner = signUp();
        TestAccount viewer = signUp();
        owner.addMember(viewer, "viewer");
        viewer.api().delete().uri("/api/v1/tenants/{t}/members/{a}", owner.tenantId(), viewer.id()).exchange().expectStatus().isNoContent();
        viewer.api().get().uri("/api/v1/tenants/{t}/apps", owner.tenantId()).exchange().expectStatus().isNotFound();
    }

    @Test
    void aViewerCannotRemoveOthers() {
        TestAccount owner = signUp();
        TestAccount viewer = signUp();
        TestAccount developer = signUp();
        owner.addMember(viewer, "viewer");
        owner.addMember(developer, "developer");
        viewer.api().delete().uri("/api/v1/tenants/{t}/members/{a}", owner.tenantId(), developer.id()).exchange().expectStatus().isForbidden();
    }

    @Test
    void anAccountCreatesFurtherTenantsItOwnsAndRenamesThem() {
        TestAccount owner = signUp();
        var created = owner.api().post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Side project"))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        long tenant = ((Number) created.get("id")).longValue();
        assertThat(created.get("role")).isEqualTo("owner");
        owner.api().patch().uri("/api/v1/tenants/{t}", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Main project"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("Main project");
        owner.api().patch().uri("/api/v1/tenants/{t}", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", " "))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        owner.api().get().uri("/api/v1/tenants").exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(2);
    }

    @Test
    void deletingATenantDeletesItsAppsEverywhere() {
        TestAccount owner = signUp();
        TestAccount member = signUp();
        owner.addMember(member, "admin");
        long app = owner.createApp("Chat");
        String key = (String) owner.createKey(app).get("key");
        await().atMost(Duration.ofSeconds(2)).until(() -> directory.findByKey(key).block(Duration.ofSeconds(5)) != null);
        owner.api().delete().uri("/api/v1/tenants/{t}", owner.tenantId()).exchange().expectStatus().isNoContent();
        await().atMost(Duration.ofSeconds(2)).until(() -> directory.findById(new AppId(app)).block(Duration.ofSeconds(5)) == null);
        member.api().get().uri("/api/v1/account").exchange()
                .expectBody().jsonPath("$.tenants.length()").isEqualTo(1);
        owner.api().get().uri("/api/v1/apps").exchange().expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec invite(TestAccount by, String email, String role) {
        return invite(by, by.tenantId(), email, role);
    }

    private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec invite(TestAccount by, long tenant, String email,
            String role) {
        return by.api().post().uri("/api/v1/tenants/{t}/invitations", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "role", role)).exchange();
    }

    private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec changeRole(TestAccount by, long tenant,
            long account, String role) {
        return by.api().patch().uri("/api/v1/tenants/{t}/members/{a}", tenant, account).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("role", role)).exchange();
    }
}
