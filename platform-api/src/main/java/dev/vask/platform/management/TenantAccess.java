package dev.vask.platform.management;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The membership checks every management operation starts with, in SQL: a tenant or app the caller
 * is not a member of is {@link ApiException#notFound not found} (never forbidden, never data); a
 * member whose role lacks the {@link Permission} is {@link ApiException#forbidden forbidden}.
 *
 * <p>Writes repeat the check in their own statement ({@code exists (... m.role = any(:roles))}), so
 * a membership removed between the check and the write cannot let the write through. Inside a
 * transaction, {@code lock} takes a row lock on the tenant or app, serializing concurrent edits of it.
 */
@Component
public final class TenantAccess {

    /**
     * The SQL condition "the caller is a member of tenant {@code tenantColumn} with one of :roles";
     * bind {@code caller} and {@code roles} ({@link Permission#roleValues()}).
     */
    public static String memberWithRole(String tenantColumn) {
        return "exists (select 1 from tenant_members m where m.tenant_id = " + tenantColumn
                + " and m.account_id = :caller and m.role = any(:roles))";
    }

    private final DatabaseClient database;

    public TenantAccess(DatabaseClient database) {
        this.database = database;
    }

    /** The caller's role in the tenant, if the caller may do this there. */
    public Mono<Role> requireTenant(Caller caller, long tenantId, Permission permission, boolean lock) {
        return database.sql("select m.role from tenants t join tenant_members m on m.tenant_id = t.id and m.account_id = :caller "
                        + "where t.id = :tenant" + (lock ? " for update of t" : ""))
                .bind("caller", caller.accountId())
                .bind("tenant", tenantId)
                .map(row -> Role.fromDatabase(row.get("role", String.class)))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No tenant " + tenantId)))
                .flatMap(role -> permitted(role, permission, "tenant " + tenantId));
    }

    /** The app's tenant and the caller's role there, if the caller may do this to the app. */
    public Mono<AppAccess> requireApp(Caller caller, long appId, Permission permission, boolean lock) {
        return database.sql("select a.tenant_id, m.role from apps a join tenant_members m on m.tenant_id = a.tenant_id "
                        + "and m.account_id = :caller where a.id = :app" + (lock ? " for update of a" : ""))
                .bind("caller", caller.accountId())
                .bind("app", appId)
                .map(row -> new AppAccess(appId, row.get("tenant_id", Long.class), Role.fromDatabase(row.get("role", String.class))))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No app " + appId)))
                .flatMap(access -> permitted(access.role(), permission, "app " + appId).thenReturn(access));
    }

    private static Mono<Role> permitted(Role role, Permission permission, String what) {
        if (role.can(permission)) {
            return Mono.just(role);
        }
        return Mono.error(ApiException.forbidden("Your role in this tenant (" + role.value() + ") does not allow "
                + describe(permission) + " (" + what + ")"));
    }

    static String describe(Permission permission) {
        return switch (permission) {
            case READ -> "reading it";
            case MANAGE_APPS -> "managing apps and keys";
            case READ_SECRETS -> "reading app secrets";
            case SET_LIMITS -> "changing app limits";
            case MANAGE_MEMBERS -> "managing members";
            case READ_AUDIT -> "reading the audit log";
            case MANAGE_OWNERS -> "granting or changing the owner role";
            case DELETE_TENANT -> "deleting the tenant";
        };
    }

    /** Where an app lives and what the caller is there. */
    public record AppAccess(long appId, long tenantId, Role role) {
    }
}
