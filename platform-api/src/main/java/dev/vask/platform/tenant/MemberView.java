package dev.vask.platform.tenant;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A member of a tenant.
 *
 * @param accountId the member's account, used in {@code /members/{accountId}}
 * @param email the member's email
 * @param displayName the member's display name, if set
 * @param role {@code owner}, {@code admin}, {@code developer} or {@code viewer}
 * @param joinedAt when the account became a member
 */
public record MemberView(long accountId, String email, @Schema(nullable = true) @Nullable String displayName, String role, Instant joinedAt) {
}
