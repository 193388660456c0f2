package dev.vask.platform.operator;

import dev.vask.platform.management.ApiRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The request bodies of the operator endpoints. */
public final class OperatorRequests {

    private OperatorRequests() {
    }

    /** A plan's name and ceilings (all of them: a PUT replaces the plan). Null ceilings mean none. */
    public record PlanBody(
            @Schema(description = "1 to 100 characters, unique whatever its case; not 'default'", example = "Team")
            @NotBlank(message = "must not be empty") @Size(max = 100, message = "must be at most 100 characters")
            @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "must not contain control characters") @Nullable String name,
            @Schema(description = "open sockets per app, 0 to 10000000; null: no ceiling", nullable = true, example = "10000")
            @Min(value = 0, message = "must be between 0 and 10000000, or null for no ceiling")
            @Max(value = 10_000_000, message = "must be between 0 and 10000000, or null for no ceiling") @Nullable Integer maxConnections,
            @Schema(description = "size of an event's data, 1 to 1048576", example = "65536")
            @NotNull(message = "must be a number between 1 and 1048576")
            @Min(value = 1, message = "must be between 1 and 1048576") @Max(value = 1_048_576, message = "must be between 1 and 1048576")
            @Nullable Integer maxMessageBytes,
            @Schema(description = "HTTP API messages per app per UTC day; null: no ceiling", nullable = true, example = "10000000")
            @Min(value = 0, message = "must be 0 or more, or null for no ceiling") @Nullable Long maxMessagesPerDay,
            @Schema(description = "apps per tenant; null: no ceiling", nullable = true, example = "50")
            @Min(value = 0, message = "must be 0 or more, or null for no ceiling") @Nullable Integer maxApps,
            @Schema(description = "client events per second per connection, 1 to 1000", example = "100")
            @NotNull(message = "must be a number between 1 and 1000")
            @Min(value = 1, message = "must be between 1 and 1000") @Max(value = 1000, message = "must be between 1 and 1000")
            @Nullable Integer clientEventsPerSecond)
            implements ApiRequest {
    }

    /** Which plan a tenant is on. */
    public record TenantPlan(
            @Schema(description = "a plan's id, or null for the default plan of the configuration", nullable = true, example = "3")
            @Nullable Long planId)
            implements ApiRequest {
    }

    /** Grant the operator role. */
    public record NewOperator(
            @Schema(description = "the address of an account whose address is verified", example = "grace@example.com")
            @NotBlank(message = "must not be empty") @Size(max = 254, message = "must be at most 254 characters") @Nullable String email)
            implements ApiRequest {
    }
}
