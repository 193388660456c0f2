package dev.vask.platform.operator;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An account with the operator role.
 *
 * @param accountId the account
 * @param email its address
 * @param displayName its display name, if set
 */
public record OperatorView(long accountId, String email, @Schema(nullable = true) @Nullable String displayName) {
}
