package dev.vask.platform.account;

import dev.vask.platform.management.ApiRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The request bodies of the account and session endpoints. */
public final class AccountRequests {

    static final String NO_CONTROL = "^[^\\p{Cntrl}]*$";

    private AccountRequests() {
    }

    /** Create an account, and the tenant it owns. */
    public record SignUp(
            @Schema(description = "unique whatever its case; at most 254 characters", example = "ada@example.com")
            @NotNull(message = "must not be empty") @Nullable String email,
            @Schema(description = "10 characters or more, at most 72 bytes; hard to guess (zxcvbn score 3 or more)", example = "correct horse battery staple")
            @NotNull(message = "must not be empty") @Nullable String password,
            @Schema(description = "optional, at most 100 characters", example = "Ada Lovelace")
            @Size(min = 1, max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = NO_CONTROL, message = "must not contain control characters") @Nullable String displayName,
            @Schema(description = "the new tenant's name, 1 to 100 characters; defaults to the part of the email before the @",
                    example = "Analytical Engines")
            @Size(min = 1, max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = NO_CONTROL, message = "must not contain control characters") @Nullable String tenantName)
            implements ApiRequest {

        @Override
        public String toString() {
            return "SignUp[email=" + email + ", password=****]";
        }
    }

    /** Sign in with email and password. */
    public record SignIn(
            @Schema(example = "ada@example.com") @NotNull(message = "must not be empty") @Nullable String email,
            @Schema(example = "correct horse battery staple") @NotNull(message = "must not be empty") @Nullable String password)
            implements ApiRequest {

        @Override
        public String toString() {
            return "SignIn[email=" + email + ", password=****]";
        }
    }

    /** Change the signed-in account's password. */
    public record PasswordChange(
            @NotNull(message = "must not be empty") @Nullable String currentPassword,
            @Schema(description = "10 characters or more, at most 72 bytes; hard to guess (zxcvbn score 3 or more)")
            @NotNull(message = "must not be empty") @Nullable String newPassword)
            implements ApiRequest {

        @Override
        public String toString() {
            return "PasswordChange[****]";
        }
    }

    /** Follow a verification link: the token from its fragment. */
    public record Verification(
            @Schema(description = "the token from the link's #token=...", example = "oA3p...")
            @NotNull(message = "must not be empty") @Size(max = 100, message = "must be at most 100 characters") @Nullable String token)
            implements ApiRequest {

        @Override
        public String toString() {
            return "Verification[****]";
        }
    }

    /** Ask for a password-reset link. */
    public record ResetRequest(
            @Schema(example = "ada@example.com") @NotNull(message = "must not be empty")
            @Size(max = 254, message = "must be at most 254 characters") @Nullable String email)
            implements ApiRequest {
    }

    /** Set a new password with a password-reset link. */
    public record ResetConfirm(
            @Schema(description = "the token from the link's #token=...") @NotNull(message = "must not be empty")
            @Size(max = 100, message = "must be at most 100 characters") @Nullable String token,
            @Schema(description = "10 characters or more, at most 72 bytes; hard to guess")
            @NotNull(message = "must not be empty") @Nullable String newPassword)
            implements ApiRequest {

        @Override
        public String toString() {
            return "ResetConfirm[****]";
        }
    }

    /**
     * Change the account's profile: only the fields present change. {@code displayName} null removes it;
     * left out, it stays. (A class rather than a record, so that an explicit null can be told from an
     * absent field.)
     */
    @Schema(description = "Fields to change; absent ones keep their value. displayName null removes it.")
    public static final class ProfileUpdate implements ApiRequest {

        private @Nullable String displayName;
        private boolean hasDisplayName;

        @Schema(description = "at most 100 characters; null removes it", nullable = true, example = "Ada King")
        @Size(min = 1, max = 100, message = "must be 1 to 100 characters")
        @Pattern(regexp = NO_CONTROL, message = "must not contain control characters")
        public @Nullable String getDisplayName() {
            return displayName;
        }

        public void setDisplayName(@Nullable String displayName) {
            this.displayName = displayName;
            this.hasDisplayName = true;
        }

        /** Whether the body names the display name at all (a null included). */
        public boolean changesDisplayName() {
            return hasDisplayName;
        }

        public @Nullable String displayName() {
            return displayName;
        }
    }
}
