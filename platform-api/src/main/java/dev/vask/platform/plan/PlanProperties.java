package dev.vask.platform.plan;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The platform's limits that no tenant can change ({@code vask.plans.*}; the {@code VASK_PLAN_*} and
 * {@code VASK_MAX_*_PER_ACCOUNT} variables of docs/configuration.md).
 *
 * @param defaults the plan of every tenant the operator gave no plan (its name is {@code default})
 * @param maxTenantsPerAccount tenants one account may create ({@code VASK_MAX_TENANTS_PER_ACCOUNT}, default 5); operators have no cap
 * @param maxAppsPerAccount apps one account may create in all tenants together ({@code VASK_MAX_APPS_PER_ACCOUNT},
 *        default 25); operators have no cap
 */
@ConfigurationProperties("vask.plans")
public record PlanProperties(@DefaultValue Default defaults, @DefaultValue("5") int maxTenantsPerAccount,
        @DefaultValue("25") int maxAppsPerAccount) {

    public PlanProperties {
        if (maxTenantsPerAccount < 1 || maxAppsPerAccount < 0) {
            throw new IllegalArgumentException("vask.plans.max-tenants-per-account must be at least 1 and max-apps-per-account at least 0");
        }
    }

    /**
     * The default plan's ceilings; -1 means no ceiling (where the field allows it).
     *
     * @param maxConnections open sockets per app ({@code VASK_PLAN_MAX_CONNECTIONS}, default 1000)
     * @param maxMessageBytes size of an event's data ({@code VASK_PLAN_MAX_MESSAGE_BYTES}, default 65536)
     * @param maxMessagesPerDay HTTP API messages per app per UTC day ({@code VASK_PLAN_MAX_MESSAGES_PER_DAY}, default 1000000)
     * @param maxApps apps per tenant ({@code VASK_PLAN_MAX_APPS}, default 10)
     * @param clientEventsPerSecond client events per second per connection ({@code VASK_PLAN_CLIENT_EVENTS_PER_SECOND}, default 100)
     */
    public record Default(@DefaultValue("1000") int maxConnections, @DefaultValue("65536") int maxMessageBytes,
            @DefaultValue("1000000") long maxMessagesPerDay, @DefaultValue("10") int maxApps,
            @DefaultValue("100") int clientEventsPerSecond) {

        public Default {
            if (maxMessageBytes < 1 || maxMessageBytes > 1_048_576 || clientEventsPerSecond < 1 || clientEventsPerSecond > 1000
                    || maxConnections > 10_000_000) {
                throw new IllegalArgumentException("vask.plans.defaults: max-message-bytes must be 1 to 1048576, client-events-per-second "
                        + "1 to 1000 and max-connections at most 10000000 (-1: no ceiling)");
            }
        }

        public Plan plan() {
            return new Plan(null, Plan.DEFAULT_NAME, none(maxConnections), maxMessageBytes, maxMessagesPerDay < 0 ? null : maxMessagesPerDay,
                    none(maxApps), clientEventsPerSecond);
        }

        private static @Nullable Integer none(int ceiling) {
            return ceiling < 0 ? null : ceiling;
        }
    }
}
