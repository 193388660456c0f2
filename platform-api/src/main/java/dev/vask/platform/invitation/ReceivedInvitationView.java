package dev.vask.platform.invitation;

import java.time.Instant;

/**
 * An open invitation to the caller's verified address.
 *
 * @param id the invitation's id, used in {@code /account/invitations/{invitationId}/accept} and {@code /decline}
 * @param tenantId the tenant it invites to
 * @param tenantName that tenant's name
 * @param role the role accepting gives
 * @param invitedBy the address of who invited you
 * @param createdAt when it was sent
 * @param expiresAt when it stops being valid
 */
public record ReceivedInvitationView(long id, long tenantId, String tenantName, String role, String invitedBy, Instant createdAt,
        Instant expiresAt) {
}
