package dev.vask.platform.operator;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A tenant as operators see it: enough to pick its plan.
 *
 * @param id the tenant's id
 * @param name its name
 * @param planId its plan, or null for the default plan
 * @param plan its plan's name
 * @param owners the addresses of its owners
 * @param apps how many apps it has
 * @param createdAt when it was created
 */
public record OperatorTenantView(long id, String name, @Schema(nullable = true) @Nullable Long planId, String plan, List<String> owners,
        long apps, Instant createdAt) {
}
