package dev.vask.platform.tenant;

import java.time.OffsetDateTime;
import java.util.Map;

import dev.vask.platform.audit.AuditAction;
import dev.vask.platform.audit.AuditLog;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.Permission;
import dev.vask.platform.management.Role;
import dev.vask.platform.management.TenantAccess;
import dev.vask.platform.plan.CreationCaps;
import io.r2dbc.spi.Readable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tenants: list the caller's, create one (the caller owns it), read, rename, delete. Deleting a
 * tenant deletes its apps, keys and usage in the same transaction; the app triggers announce it, so
 * every node closes the apps' sockets within about a second.
 */
@Service
public class TenantService {

    private static final Logger log = LoggerFactory.getLogger(TenantService.class);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final TenantAccess access;
    private final AuditLog audit;
    private final CreationCaps caps;

    public TenantService(DatabaseClient database, TransactionalOperator transactions, TenantAccess access, AuditLog audit,
            CreationCaps caps) {
        this.database = database;
        this.transactions = transactions;
        this.access = access;
        this.audit = audit;
        this.caps = caps;
    }

    /** The tenants the caller is a member of, with the caller's role in each. */
    public Flux<TenantView> list(Caller caller) {
        return listFor(caller.accountId());
    }

    /** The tenants this account is a member of. */
    public Flux<TenantView> listFor(long accountId) {
        return database.sql("""
                        select t.id, t.name, t.created_at, m.role from tenants t
                        join tenant_members m on m.tenant_id = t.id and m.account_id = :caller
                        order by t.id""")
                .bind("caller", accountId)
                .map(TenantService::view)
                .all();
    }

    public Mono<TenantView> get(Caller caller, long tenantId) {
        return database.sql("""
                        select t.id, t.name, t.created_at, m.role from tenants t
                        join tenant_members m on m.tenant_id = t.id and m.account_id = :caller
                        where t.id = :tenant""")
                .bind("caller", caller.accountId())
                .bind("tenant", tenantId)
                .map(TenantService::view)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No tenant " + tenantId)));
    }

    /** A new tenant owned by the caller; 409 {@code too-many-tenants} when the caller created as many as an account may. */
    public Mono<TenantView> create(Caller caller, String name) {
        return transactions.transactional(caps.requireTenantSlot(caller.accountId())
                .then(createOwned(caller.accountId(), caller.email(), name)));
    }

    /**
     * Inserts a tenant with the account as its owner and records it; joins the caller's transaction
     * (sign-up creates the account and its tenant in one).
     */
    public Mono<TenantView> createOwned(long accountId, String email, String name) {
        String trimmed = name.strip();
        return database.sql("insert into tenants (name, created_by) values (:name, :account) returning id, name, created_at")
                .bind("name", trimmed)
                .bind("account", accountId)
                .map(row -> new TenantView(row.get("id", Long.class), row.get("name", String.class), Role.OWNER.value(),
                        row.get("created_at", OffsetDateTime.class).toInstant()))
                .one()
                .flatMap(tenant -> database.sql("insert into tenant_members (tenant_id, account_id, role) values (:tenant, :account, 'owner')")
                        .bind("tenant", tenant.id())
                        .bind("account", accountId)
                        .then()
                        .then(audit.record(accountId, email, tenant.id(), AuditAction.TENANT_CREATED, Long.toString(tenant.id()),
                                Map.of("name", trimmed)))
                        .thenReturn(tenant));
    }

    public Mono<TenantView> rename(Caller caller, long tenantId, String name) {
        String trimmed = name.strip();
        Mono<TenantView> rename = access.requireTenant(caller, tenantId, Permission.MANAGE_MEMBERS, true)
                .flatMap(role -> database.sql("select name from tenants where id = :tenant")
                        .bind("tenant", tenantId)
                        .map(row -> row.get("name", String.class))
                        .one()
                        .flatMap(old -> database.sql("update tenants t set name = :name where t.id = :tenant and "
                                        + TenantAccess.memberWithRole("t.id"))
                                .bind("name", trimmed)
                                .bind("tenant", tenantId)
                                .bind("caller", caller.accountId())
                                .bind("roles", Permission.MANAGE_MEMBERS.roleValues())
                                .fetch().rowsUpdated()
                                .flatMap(updated -> updated == 1 ? Mono.empty() : Mono.error(ApiException.notFound("No tenant " + tenantId)))
                                .then(old.equals(trimmed) ? Mono.empty()
                                        : audit.record(caller, tenantId, AuditAction.TENANT_RENAMED, Long.toString(tenantId),
                                                Map.of("name", Map.of("from", old, "to", trimmed))))))
                .then(get(caller, tenantId));
        return transactions.transactional(rename);
    }

    /** Deletes the tenant and everything in it; owners only. */
    public Mono<Void> delete(Caller caller, long tenantId) {
        Mono<Void> delete = access.requireTenant(caller, tenantId, Permission.DELETE_TENANT, true)
                .flatMap(role -> database.sql("select t.name, (select count(*) from apps a where a.tenant_id = t.id) as apps "
                                + "from tenants t where t.id = :tenant")
                        .bind("tenant", tenantId)
                        .map(row -> Map.<String, Object>of("name", row.get("name", String.class), "apps", row.get("apps", Long.class)))
                        .one())
                .flatMap(details -> audit.record(caller, tenantId, AuditAction.TENANT_DELETED, Long.toString(tenantId), details))
                .then(database.sql("delete from tenants t where t.id = :tenant and " + TenantAccess.memberWithRole("t.id"))
                        .bind("tenant", tenantId)
                        .bind("caller", caller.accountId())
                        .bind("roles", Permission.DELETE_TENANT.roleValues())
                        .fetch().rowsUpdated())
                .flatMap(deleted -> deleted == 1 ? Mono.<Void>empty() : Mono.error(ApiException.notFound("No tenant " + tenantId)))
                .doOnSuccess(done -> log.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("accountId", caller.accountId())
                        .log("Tenant deleted"));
        return transactions.transactional(delete);
    }

    private static TenantView view(Readable row) {
        return new TenantView(row.get("id", Long.class), row.get("name", String.class), row.get("role", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
