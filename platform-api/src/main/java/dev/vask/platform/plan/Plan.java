package dev.vask.platform.plan;

import java.util.ArrayList;
import java.util.List;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.FieldViolation;
import dev.vask.realtime.app.AppLimits;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A plan: the ceilings of the apps of every tenant on it. An app's limit applies within its plan's
 * ceiling: what every node enforces is the lower of the two (an app without a limit of its own gets
 * the ceiling), and tenant admins cannot set a limit above it.
 *
 * @param id the plan's id, or null for the default plan of the configuration
 * @param name unique whatever its case; the default plan is {@code default}
 * @param maxConnections open sockets per app; null: no ceiling
 * @param maxMessageBytes size of an event's data (server and client events)
 * @param maxMessagesPerDay HTTP API messages per app per UTC day; null: no ceiling
 * @param maxApps apps per tenant; null: no ceiling
 * @param clientEventsPerSecond client events per second per connection
 */
public record Plan(@Schema(nullable = true, description = "null for the default plan of the configuration") @Nullable Long id,
        String name, @Schema(nullable = true) @Nullable Integer maxConnections, int maxMessageBytes,
        @Schema(nullable = true) @Nullable Long maxMessagesPerDay, @Schema(nullable = true) @Nullable Integer maxApps,
        int clientEventsPerSecond) {

    public static final String DEFAULT_NAME = "default";

    /** The limits every node applies: each of the app's own, bounded by this plan's ceiling. */
    public AppLimits bound(AppLimits app) {
        return new AppLimits(
                lower(app.maxConnections(), maxConnections),
                Math.min(app.maxMessageBytes(), maxMessageBytes),
                Math.min(app.clientEventsPerSecond(), clientEventsPerSecond),
                app.maxPresenceMembers(),
                lower(app.maxMessagesPerDay(), maxMessagesPerDay));
    }

    /**
     * What a tenant admin may not set: each number above its ceiling, named with the ceiling. A null
     * (no limit of the app's own) is always allowed: the ceiling then applies.
     */
    public List<FieldViolation> violations(String prefix, @Nullable Integer appMaxConnections, int appMaxMessageBytes,
            int appClientEventsPerSecond, @Nullable Long appMaxMessagesPerDay) {
        List<FieldViolation> violations = new ArrayList<>();
        if (appMaxConnections != null && maxConnections != null && appMaxConnections > maxConnections) {
            violations.add(over(prefix + "maxConnections", maxConnections));
        }
        if (appMaxMessageBytes > maxMessageBytes) {
            violations.add(over(prefix + "maxMessageBytes", maxMessageBytes));
        }
        if (appClientEventsPerSecond > clientEventsPerSecond) {
            violations.add(over(prefix + "clientEventsPerSecond", clientEventsPerSecond));
        }
        if (appMaxMessagesPerDay != null && maxMessagesPerDay != null && appMaxMessagesPerDay > maxMessagesPerDay) {
            violations.add(over(prefix + "maxMessagesPerDay", maxMessagesPerDay));
        }
        return violations;
    }

    /** 403 {@code over-plan-ceiling} naming each field and its ceiling. */
    public ApiException refusal(List<FieldViolation> violations) {
        return ApiException.of(HttpStatus.FORBIDDEN, "over-plan-ceiling", "Above the plan's ceiling", violations);
    }

    private FieldViolation over(String field, long ceiling) {
        return new FieldViolation(field, "must be at most " + ceiling + ", the ceiling of your tenant's plan '" + name
                + "'; ask the operator of this Vask for a larger plan");
    }

    private static @Nullable Integer lower(@Nullable Integer own, @Nullable Integer ceiling) {
        return own == null ? ceiling : ceiling == null ? own : Integer.valueOf(Math.min(own, ceiling));
    }

    private static @Nullable Long lower(@Nullable Long own, @Nullable Long ceiling) {
        return own == null ? ceiling : ceiling == null ? own : Long.valueOf(Math.min(own, ceiling));
    }
}
