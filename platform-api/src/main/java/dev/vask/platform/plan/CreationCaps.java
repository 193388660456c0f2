package dev.vask.platform.plan;

import dev.vask.platform.management.ApiException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * How much one account may create: tenants and apps per account ({@link PlanProperties}; operators
 * have no cap), and apps per tenant (the tenant's {@link Plan}, for everyone). Checked inside the
 * creating transaction with the account's row locked, so that parallel requests cannot overshoot.
 */
@Component
public class CreationCaps {

    private final DatabaseClient database;
    private final PlanProperties properties;

    public CreationCaps(DatabaseClient database, PlanProperties properties) {
        this.database = database;
        this.properties = properties;
    }

    /** 409 {@code too-many-tenants} when the account created as many tenants as it may. */
    public Mono<Void> requireTenantSlot(long accountId) {
        return database.sql("select a.operator, (select count(*) from tenants t where t.created_by = a.id) as created "
                        + "from accounts a where a.id = :id for update of a")
                .bind("id", accountId)
                .map(row -> new Count(Boolean.TRUE.equals(row.get("operator", Boolean.class)), row.get("created", Long.class), 0))
                .one()
                .flatMap(count -> count.operator() || count.created() < properties.maxTenantsPerAccount() ? Mono.<Void>empty()
                        : Mono.error(ApiException.conflict("too-many-tenants", "Too many tenants", "You created "
                                + count.created() + " tenants, the most one account may create on this Vask ("
                                + properties.maxTenantsPerAccount() + "); delete one first, or ask its operator")));
    }

    /**
     * 409 {@code too-many-apps} when the account created as many apps as it may, and 409
     * {@code plan-app-limit} when the tenant has as many apps as its plan allows.
     */
    public Mono<Void> requireAppSlot(long accountId, long tenantId, Plan plan) {
        return database.sql("select a.operator, (select count(*) from apps x where x.created_by = a.id) as created, "
                        + "(select count(*) from apps y where y.tenant_id = :tenant) as in_tenant from accounts a where a.id = :id for update of a")
                .bind("id", accountId)
                .bind("tenant", tenantId)
                .map(row -> new Count(Boolean.TRUE.equals(row.get("operator", Boolean.class)), row.get("created", Long.class),
                        row.get("in_tenant", Long.class)))
                .one()
                .flatMap(count -> {
                    if (plan.maxApps() != null && count.inTenant() >= plan.maxApps()) {
                        return Mono.error(ApiException.conflict("plan-app-limit", "Plan allows no more apps", "Tenant " + tenantId
                                + " has " + count.inTenant() + " apps, the most its plan '" + plan.name() + "' allows ("
                                + plan.maxApps() + "); delete one first, or ask the operator of this Vask for a larger plan"));
                    }
                    if (!count.operator() && count.created() >= properties.maxAppsPerAccount()) {
                        return Mono.error(ApiException.conflict("too-many-apps", "Too many apps", "You created " + count.created()
                                + " apps, the most one account may create on this Vask (" + properties.maxAppsPerAccount()
                                + "); delete one first, or ask its operator"));
                    }
                    return Mono.<Void>empty();
                });
    }

    private record Count(boolean operator, long created, long inTenant) {
    }
}
