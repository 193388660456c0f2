package dev.vask.platform.tenant;

import java.time.OffsetDateTime;
import java.util.Map;

import dev.vask.platform.audit.AuditAction;
import dev.vask.platform.audit.AuditLog;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.DatabaseErrors;
import dev.vask.platform.management.Permission;
import dev.vask.platform.management.Role;
import dev.vask.platform.management.TenantAccess;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A tenant's members. People join by accepting an invitation ({@code dev.vask.platform.invitation});
 * admins and owners change roles and remove members; only owners grant, change or take away the owner role. Anyone may leave, except the last
 * owner: a tenant always has an owner (checked here under a lock on the tenant row, and by the
 * database at commit).
 */
@Service
public class TenantMembers {

    private static final String LAST_OWNER = "tenant_members_last_owner";

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final TenantAccess access;
    private final AuditLog audit;

    public TenantMembers(DatabaseClient database, TransactionalOperator transactions, TenantAccess access, AuditLog audit) {
        this.database = database;
        this.transactions = transactions;
        this.access = access;
        this.audit = audit;
    }

    public Flux<MemberView> list(Caller caller, long tenantId) {
        return access.requireTenant(caller, tenantId, Permission.READ, false)
                .thenMany(database.sql("""
                                select a.id, a.email, a.display_name, m.role, m.created_at from tenant_members m
                                join accounts a on a.id = m.account_id
                                where m.tenant_id = :tenant and %s
                                order by m.created_at, a.id""".formatted(TenantAccess.memberWithRole("m.tenant_id")))
                        .bind("tenant", tenantId)
                        .bind("caller", caller.accountId())
                        .bind("roles", Permission.READ.roleValues())
                        .map(TenantMembers::view)
                        .all());
    }

    public Mono<MemberView> changeRole(Caller caller, long tenantId, long accountId, Role role) {
        Mono<MemberView> change = access.requireTenant(caller, tenantId, Permission.MANAGE_MEMBERS, true)
                .flatMap(callerRole -> member(tenantId, accountId)
                        .flatMap(target -> {
                            Role current = Role.fromDatabase(target.role());
                            if (current == role) {
                                return Mono.just(target);
                            }
                            return requireOwnerRights(callerRole, current == Role.OWNER || role == Role.OWNER)
                                    .then(current == Role.OWNER ? requireAnotherOwner(tenantId, "demote") : Mono.empty())
                                    .then(database.sql("update tenant_members m set role = :role where m.tenant_id = :tenant "
                                                    + "and m.account_id = :account and " + TenantAccess.memberWithRole("m.tenant_id"))
                                            .bind("role", role.value())
                                            .bind("tenant", tenantId)
                                            .bind("account", accountId)
                                            .bind("caller", caller.accountId())
                                            .bind("roles", Permission.MANAGE_MEMBERS.roleValues())
                                            .fetch().rowsUpdated())
                                    .then(audit.record(caller, tenantId, AuditAction.MEMBER_ROLE_CHANGED, Long.toString(accountId),
                                            Map.of("email", target.email(), "role", Map.of("from", current.value(), "to", role.value()))))
                                    .then(member(tenantId, accountId));
                        }));
        return transactions.transactional(change).onErrorMap(TenantMembers::lastOwner);
    }

    /** Removes a member; a member may also remove themself (leave), whatever their role. */
    public Mono<Void> remove(Caller caller, long tenantId, long accountId) {
        boolean leaving = accountId == caller.accountId();
        Permission needed = leaving ? Permission.READ : Permission.MANAGE_MEMBERS;
        Mono<Void> remove = access.requireTenant(caller, tenantId, needed, true)
                .flatMap(callerRole -> member(tenantId, accountId)
                        .flatMap(target -> {
                            Role current = Role.fromDatabase(target.role());
                            return (leaving ? Mono.empty() : requireOwnerRights(callerRole, current == Role.OWNER))
                                    .then(current == Role.OWNER ? requireAnotherOwner(tenantId, leaving ? "leave" : "remove") : Mono.empty())
                                    .then(database.sql("delete from tenant_members m where m.tenant_id = :tenant and m.account_id = :account "
                                                    + "and " + TenantAccess.memberWithRole("m.tenant_id"))
                                            .bind("tenant", tenantId)
                                            .bind("account", accountId)
                                            .bind("caller", caller.accountId())
                                            .bind("roles", needed.roleValues())
                                            .fetch().rowsUpdated())
                                    .then(audit.record(caller, tenantId, leaving ? AuditAction.MEMBER_LEFT : AuditAction.MEMBER_REMOVED,
                                            Long.toString(accountId), Map.of("email", target.email(), "role", current.value())));
                        }));
        return transactions.transactional(remove).onErrorMap(TenantMembers::lastOwner);
    }

    private Mono<MemberView> member(long tenantId, long accountId) {
        return database.sql("""
                        select a.id, a.email, a.display_name, m.role, m.created_at from tenant_members m
                        join accounts a on a.id = m.account_id
                        where m.tenant_id = :tenant and m.account_id = :account""")
                .bind("tenant", tenantId)
                .bind("account", accountId)
                .map(TenantMembers::view)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Account " + accountId + " is not a member of tenant " + tenantId)));
    }

    /** Refuses a change that touches the owner role unless the caller is an owner. */
    public static Mono<Void> requireOwnerRights(Role callerRole, boolean touchesOwner) {
        if (touchesOwner && !callerRole.can(Permission.MANAGE_OWNERS)) {
            return Mono.error(ApiException.forbidden("Only owners grant, change or take away the owner role"));
        }
        return Mono.empty();
    }

    private Mono<Void> requireAnotherOwner(long tenantId, String verb) {
        return database.sql("select count(*) as owners from tenant_members where tenant_id = :tenant and role = 'owner'")
                .bind("tenant", tenantId)
                .map(row -> row.get("owners", Long.class))
                .one()
                .flatMap(owners -> owners > 1 ? Mono.<Void>empty() : Mono.error(lastOwnerConflict(verb)));
    }

    private static Throwable lastOwner(Throwable error) {
        return DatabaseErrors.violates(error, LAST_OWNER) ? lastOwnerConflict("remove") : error;
    }

    private static ApiException lastOwnerConflict(String verb) {
        return ApiException.conflict("last-owner", "Last owner",
                "A tenant keeps at least one owner: make another member owner before you " + verb + " this one");
    }

    private static MemberView view(Readable row) {
        return new MemberView(row.get("id", Long.class), row.get("email", String.class), row.get("display_name", String.class),
                row.get("role", String.class), row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
