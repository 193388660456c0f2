package dev.vask.platform.account;

import java.time.Instant;
import java.util.List;

import dev.vask.platform.tenant.TenantView;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An account as its owner sees it, with the tenants it is a member of.
 *
 * @param id the account id (also the member id in {@code /tenants/{tenantId}/members/{accountId}})
 * @param email as given at sign-up
 * @param displayName optional
 * @param emailVerified whether the holder proved the address (a verification or password-reset link);
 *        until then the account can use only the tenants it created, and cannot accept invitations
 * @param operator whether the account runs this Vask: manages plans, gives tenants a plan, grants the role
 * @param createdAt when the account was created
 * @param tenants the tenants the account is a member of, with its role in each
 */
public record AccountView(long id, String email, @Schema(nullable = true) @Nullable String displayName, boolean emailVerified,
        boolean operator, Instant createdAt, List<TenantView> tenants) {
}
