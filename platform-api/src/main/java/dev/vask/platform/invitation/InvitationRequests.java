package dev.vask.platform.invitation;

import dev.vask.platform.management.ApiRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The request bodies of the invitation endpoints. */
public final class InvitationRequests {

    static final String ROLE_PATTERN = "^(owner|admin|developer|viewer)$";

    private InvitationRequests() {
    }

    /** Invite an address to the tenant. */
    public record NewInvitation(
            @Schema(description = "the address to invite; whoever holds it must verify it before accepting", example = "grace@example.com")
            @NotBlank(message = "must not be empty") @Size(max = 254, message = "must be at most 254 characters") @Nullable String email,
            @Schema(description = "owner, admin, developer or viewer", example = "developer")
            @NotNull(message = "must be owner, admin, developer or viewer")
            @Pattern(regexp = ROLE_PATTERN, message = "must be owner, admin, developer or viewer") @Nullable String role)
            implements ApiRequest {
    }

    /** Accept an invitation with the token of its link. */
    public record TokenAcceptance(
            @Schema(description = "the token from the invitation link's #token=...")
            @NotNull(message = "must not be empty") @Size(max = 100, message = "must be at most 100 characters") @Nullable String token)
            implements ApiRequest {

        @Override
        public String toString() {
            return "TokenAcceptance[****]";
        }
    }
}
