package dev.vask.platform.invitation;

import java.time.Instant;

/**
 * An open invitation, as the tenant's members see it.
 *
 * @param id the invitation's id, used in {@code /tenants/{tenantId}/invitations/{invitationId}}
 * @param tenantId the tenant it invites to
 * @param email the address invited; only the holder of this address, verified, can accept
 * @param role the role the person gets on accepting
 * @param invitedBy the address of who invited them
 * @param createdAt when it was sent (or sent again)
 * @param expiresAt when it stops being valid
 */
public record InvitationView(long id, long tenantId, String email, String role, String invitedBy, Instant createdAt, Instant expiresAt) {
}
