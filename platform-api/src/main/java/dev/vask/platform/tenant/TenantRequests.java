package dev.vask.platform.tenant;

import dev.vask.platform.management.ApiRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The request bodies of the tenant and member endpoints. */
public final class TenantRequests {

    static final String NAME_PATTERN = "^[^\\p{Cntrl}]*$";
    static final String ROLE_PATTERN = "^(owner|admin|developer|viewer)$";

    private TenantRequests() {
    }

    /** Create a tenant (the caller becomes its owner) or rename one. */
    public record TenantName(
            @Schema(description = "1 to 100 characters", example = "Acme")
            @NotBlank(message = "must not be empty") @Size(max = 100, message = "must be at most 100 characters")
            @Pattern(regexp = NAME_PATTERN, message = "must not contain control characters") @Nullable String name)
            implements ApiRequest {
    }

    /** Change a member's role. */
    public record RoleChange(
            @Schema(description = "owner, admin, developer or viewer", example = "admin")
            @NotNull(message = "must be owner, admin, developer or viewer")
            @Pattern(regexp = ROLE_PATTERN, message = "must be owner, admin, developer or viewer") @Nullable String role)
            implements ApiRequest {
    }
}
