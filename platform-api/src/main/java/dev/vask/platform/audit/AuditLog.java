package dev.vask.platform.audit;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.Permission;
import dev.vask.platform.management.TenantAccess;
import io.r2dbc.postgresql.codec.Json;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the audit log ({@code audit_events}). {@link #record} joins the caller's
 * transaction: compose it into the same {@code TransactionalOperator} chain as the change.
 */
@Component
public final class AuditLog {

    public static final int MAX_PAGE = 200;
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() { };

    private final DatabaseClient database;
    private final TenantAccess access;
    private final JsonMapper json;

    public AuditLog(DatabaseClient database, TenantAccess access, JsonMapper json) {
        this.database = database;
        this.access = access;
        this.json = json;
    }

    /** Adds an entry; {@code details} is serialized as a JSON object (keep secrets out of it). */
    public Mono<Void> record(Caller actor, long tenantId, AuditAction action, String targetId, Map<String, ?> details) {
        return record(actor.accountId(), actor.email(), tenantId, action, targetId, details);
    }

    /** As {@link #record(Caller, long, AuditAction, String, Map)}, for an actor that is not a request's caller (sign-up). */
    public Mono<Void> record(long actorAccountId, String actorEmail, long tenantId, AuditAction action, String targetId,
            Map<String, ?> details) {
        return database.sql("""
                        insert into audit_events (tenant_id, actor_account_id, actor_email, action, target_type, target_id, details)
                        values (:tenant, :actor, :email, :action, :targetType, :targetId, :details)""")
                .bind("tenant", tenantId)
                .bind("actor", actorAccountId)
                .bind("email", actorEmail)
                .bind("action", action.value())
                .bind("targetType", action.targetType())
                .bind("targetId", targetId)
                .bind("details", Json.of(json.writeValueAsString(details)))
                .then();
    }

    /**
     * An entry for what Vask did by itself (a scheduled key rotation): no account, {@code actor} in place of the
     * email (such as {@code vask:vapid-schedule}). Joins the caller's transaction.
     */
    public Mono<Void> recordBySystem(String actor, long tenantId, AuditAction action, String targetId, Map<String, ?> details) {
        return database.sql("""
                        insert into audit_events (tenant_id, actor_account_id, actor_email, action, target_type, target_id, details)
                        values (:tenant, null, :email, :action, :targetType, :targetId, :details)""")
                .bind("tenant", tenantId)
                .bind("email", actor)
                .bind("action", action.value())
                .bind("targetType", action.targetType())
                .bind("targetId", targetId)
                .bind("details", Json.of(json.writeValueAsString(details)))
                .then();
    }

    /** A page of the tenant's entries, newest first; admins and owners only. */
    public Mono<AuditPage> list(Caller caller, long tenantId, @Nullable Long before, int limit) {
        return access.requireTenant(caller, tenantId, Permission.READ_AUDIT, false)
                .thenMany(database.sql("""
                                select id, action, target_type, target_id, actor_account_id, actor_email, details, created_at
                                from audit_events
                                where tenant_id = :tenant and id < :before
                                  and %s
                                order by id desc
                                limit :limit""".formatted(TenantAccess.memberWithRole("audit_events.tenant_id")))
                        .bind("tenant", tenantId)
                        .bind("before", before != null ? before : Long.MAX_VALUE)
                        .bind("caller", caller.accountId())
                        .bind("roles", Permission.READ_AUDIT.roleValues())
                        .bind("limit", limit + 1)
                        .map(row -> new AuditEvent(
                                row.get("id", Long.class),
                                row.get("action", String.class),
                                row.get("target_type", String.class),
                                row.get("target_id", String.class),
                                row.get("actor_account_id", Long.class),
                                row.get("actor_email", String.class),
                                json.readValue(row.get("details", Json.class).asString(), DETAILS),
                                row.get("created_at", OffsetDateTime.class).toInstant()))
                        .all())
                .collectList()
                .map(events -> page(events, limit));
    }

    private static AuditPage page(List<AuditEvent> events, int limit) {
        if (events.size() <= limit) {
            return new AuditPage(events, null);
        }
        List<AuditEvent> shown = events.subList(0, limit);
        return new AuditPage(List.copyOf(shown), shown.getLast().id());
    }
}
