package dev.vask.platform.invitation;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.platform.management.Role;
import dev.vask.platform.tenant.TenantView;
import dev.vask.realtime.config.ConditionalOnRole;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Invitations: sent by a tenant's admins, accepted or declined by the holder of the address. */
@RestController
@ManagementApi
@ConditionalOnRole(dev.vask.realtime.config.Role.API)
@RequestMapping("/api/v1")
@Tag(name = "Invitations", description = "Invite people to a tenant; accept or decline invitations to your address")
class InvitationController {

    private final Invitations invitations;

    InvitationController(Invitations invitations) {
        this.invitations = invitations;
    }

    @PostMapping("/tenants/{tenantId}/invitations")
    @Operation(operationId = "invite", summary = "Invite someone", description = "Mails an invitation to the address. The same answer "
            + "whether or not an account has it. Nobody joins until the holder of the address, verified, accepts. Inviting the "
            + "same address again replaces the open invitation. Admin or owner; only owners invite owners.")
    Mono<ResponseEntity<InvitationView>> invite(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable long tenantId, @Valid @RequestBody InvitationRequests.NewInvitation request) {
        return invitations.invite(caller, tenantId, Objects.requireNonNull(request.email()),
                        Role.parse(Objects.requireNonNull(request.role())).orElseThrow())
                .map(invitation -> ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/invitations/" + invitation.id()))
                        .body(invitation));
    }

    @GetMapping("/tenants/{tenantId}/invitations")
    @Operation(operationId = "listInvitations", summary = "List a tenant's open invitations")
    Mono<List<InvitationView>> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId) {
        return invitations.listForTenant(caller, tenantId).collectList();
    }

    @DeleteMapping("/tenants/{tenantId}/invitations/{invitationId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeInvitation", summary = "Revoke an invitation", description = "Its link stops working. Admin or owner; "
            + "only owners revoke owner invitations.")
    Mono<Void> revoke(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId,
            @PathVariable long invitationId) {
        return invitations.revoke(caller, tenantId, invitationId);
    }

    @GetMapping("/account/invitations")
    @Operation(operationId = "listReceivedInvitations", summary = "List invitations to your address", description = "Your address must "
            + "be verified (403 address-unverified).")
    Mono<List<ReceivedInvitationView>> received(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return invitations.received(caller).collectList();
    }

    @PostMapping("/account/invitations/{invitationId}/accept")
    @Operation(operationId = "acceptInvitation", summary = "Accept an invitation", description = "You join the tenant with the "
            + "invitation's role. Your address must be the invited one, verified (403 address-unverified).")
    Mono<TenantView> accept(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long invitationId) {
        return invitations.accept(caller, invitationId);
    }

    @PostMapping("/account/invitations/accept")
    @Operation(operationId = "acceptInvitationLink", summary = "Accept an invitation from its link", description = "As accepting by id, "
            + "with the token of the mailed link (what /dashboard/invitations sends).")
    Mono<TenantView> acceptWithToken(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody InvitationRequests.TokenAcceptance request) {
        return invitations.acceptWithToken(caller, Objects.requireNonNull(request.token()));
    }

    @PostMapping("/account/invitations/{invitationId}/decline")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "declineInvitation", summary = "Decline an invitation", description = "Your address must be verified.")
    Mono<Void> decline(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long invitationId) {
        return invitations.decline(caller, invitationId);
    }
}
