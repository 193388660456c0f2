package dev.vask.platform.key;

import dev.vask.platform.management.ApiRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The request body of the key endpoint. */
public final class KeyRequests {

    private KeyRequests() {
    }

    /** Create a key; the server generates the key and the secret. */
    public record NewKey(
            @Schema(description = "optional, 1 to 100 characters", example = "production 2026-11")
            @Size(min = 1, max = 100, message = "must be 1 to 100 characters")
            @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "must not contain control characters") @Nullable String label)
            implements ApiRequest {
    }
}
