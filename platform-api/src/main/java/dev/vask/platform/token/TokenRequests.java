package dev.vask.platform.token;

import java.time.Instant;
import java.util.List;

import dev.vask.platform.management.ApiRequest;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The request body of the token endpoint. */
public final class TokenRequests {

    private TokenRequests() {
    }

    /** Create a personal access token. */
    public record NewToken(
            @Schema(description = "what the token is for, 1 to 100 characters", example = "deploy script")
            @NotBlank(message = "must not be empty") @Size(max = 100, message = "must be at most 100 characters")
            @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "must not contain control characters") @Nullable String name,
            @ArraySchema(schema = @Schema(allowableValues = {"read", "write"}),
                    arraySchema = @Schema(description = "read: GET requests; write: every request (implies read)", example = "[\"read\", \"write\"]"))
            @NotEmpty(message = "must list read, write or both") @Size(max = 2, message = "must list read, write or both")
            @Nullable List<@NotNull(message = "must be read or write") @Pattern(regexp = "^(read|write)$", message = "must be read or write") String> scopes,
            @Schema(description = "optional; the token stops working at this instant (at most 10 years ahead)",
                    example = "2027-01-01T00:00:00Z")
            @Nullable Instant expiresAt)
            implements ApiRequest {
    }
}
