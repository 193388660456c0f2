package dev.vask.platform.tenant;

import java.time.Instant;

/**
 * A tenant as its members see it.
 *
 * @param id the tenant id used in {@code /api/v1/tenants/{tenantId}/...}
 * @param name shown in the dashboard
 * @param role the caller's role in it: {@code owner}, {@code admin}, {@code developer} or {@code viewer}
 * @param createdAt when it was created
 */
public record TenantView(long id, String name, String role, Instant createdAt) {
}
