package dev.vask.platform.vapid;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.vask.platform.audit.AuditAction;
import dev.vask.platform.audit.AuditLog;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.FieldViolation;
import dev.vask.platform.management.Permission;
import dev.vask.platform.management.TenantAccess;
import dev.vask.realtime.app.AppChange;
import dev.vask.realtime.app.AppId;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * An app's Web Push settings and key over the management API: read them, change the rotation period and subject,
 * rotate the key now. Scoped by the caller's membership like every app endpoint (another tenant's app is 404),
 * audited in the same transaction as the change.
 *
 * <p>After a rotation commits, this node's app directory is told at once ({@link AppChange} as an application
 * event), so that a socket opening here right after the answer hears only the new key; the other nodes learn of it
 * from PostgreSQL's notification a few milliseconds later.
 */
@Service
public class VapidService {

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final TenantAccess access;
    private final AuditLog audit;
    private final VapidKeys keys;
    private final ApplicationEventPublisher events;

    public VapidService(DatabaseClient database, TransactionalOperator transactions, TenantAccess access, AuditLog audit, VapidKeys keys,
            ApplicationEventPublisher events) {
        this.database = database;
        this.transactions = transactions;
        this.access = access;
        this.audit = audit;
        this.keys = keys;
        this.events = events;
    }

    public Mono<VapidView> get(Caller caller, long appId) {
        return access.requireApp(caller, appId, Permission.READ, false).then(read(appId));
    }

    /** Applies the fields present; a patch that changes nothing writes nothing (and no audit entry). */
    public Mono<VapidView> update(Caller caller, long appId, VapidRequests.VapidPatch patch) {
        List<FieldViolation> errors = patch.violations();
        if (!errors.isEmpty()) {
            return Mono.error(ApiException.invalid(errors));
        }
        Mono<VapidView> update = access.requireApp(caller, appId, Permission.MANAGE_APPS, true)
                .flatMap(app -> read(appId).flatMap(current -> {
                    Duration period = patch.hasRotationPeriod() ? Objects.requireNonNull(patch.period()) : Duration.parse(current.rotationPeriod());
                    String subject = patch.hasSubject() ? patch.subject() : current.subject();
                    Map<String, Object> changes = new LinkedHashMap<>();
                    change(changes, "rotationPeriod", current.rotationPeriod(), VapidRequests.format(period));
                    change(changes, "subject", current.subject(), subject);
                    if (changes.isEmpty()) {
                        return Mono.just(current);
                    }
                    var statement = database.sql("""
                                    update apps a set vapid_rotation_period = make_interval(secs => :seconds), vapid_subject = :subject,
                                        updated_at = greatest(now(), a.updated_at + interval '1 microsecond')
                                    where a.id = :app""")
                            .bind("app", appId)
                            .bind("seconds", (double) period.getSeconds());
                    statement = subject == null ? statement.bindNull("subject", String.class) : statement.bind("subject", subject);
                    return statement.fetch().rowsUpdated()
                            .then(audit.record(caller, app.tenantId(), AuditAction.VAPID_UPDATED, Long.toString(appId), changes))
                            .then(read(appId));
                }));
        return transactions.transactional(update);
    }

    /**
     * Replaces the app's key now: the old private key and every push subscription made with it are deleted in the
     * same transaction. 409 when Web Push is off (there is no key to rotate).
     */
    public Mono<VapidView> rotate(Caller caller, long appId) {
        Mono<VapidKeys.Rotation> rotate = access.requireApp(caller, appId, Permission.MANAGE_APPS, true)
                .flatMap(app -> webPushEnabled(appId)
                        .flatMap(enabled -> enabled ? keys.replace(app.tenantId(), appId)
                                : Mono.error(ApiException.of(HttpStatus.CONFLICT, "web-push-off", "Web Push is off",
                                        "App " + appId + " has no VAPID key to rotate: turn Web Push on first "
                                                + "(PATCH /api/v1/apps/" + appId + " with {\"features\":{\"webPush\":true}})")))
                        .flatMap(rotation -> audit.record(caller, app.tenantId(), AuditAction.VAPID_ROTATED, Long.toString(appId),
                                details(rotation, "requested")).thenReturn(rotation)));
        return transactions.transactional(rotate)
                .doOnNext(rotation -> events.publishEvent(AppChange.of(new AppId(appId))))
                .then(read(appId));
    }

    static Map<String, Object> details(VapidKeys.Rotation rotation, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("keyId", rotation.key().id());
        details.put("publicKey", rotation.key().publicKey());
        if (rotation.oldKeyId() != null) {
            details.put("destroyedKeyId", rotation.oldKeyId());
        }
        return details;
    }

    private Mono<Boolean> webPushEnabled(long appId) {
        return database.sql("select web_push_enabled from apps where id = :app").bind("app", appId)
                .map(row -> row.get("web_push_enabled", Boolean.class)).one();
    }

    private Mono<VapidView> read(long appId) {
        return database.sql("""
                        select a.web_push_enabled, extract(epoch from a.vapid_rotation_period)::bigint as period_seconds, a.vapid_subject,
                               v.public_key, v.created_at
                        from apps a left join vapid_keys v on v.app_id = a.id
                        where a.id = :app""")
                .bind("app", appId)
                .map(row -> {
                    Duration period = Duration.ofSeconds(row.get("period_seconds", Long.class));
                    var created = row.get("created_at", java.time.OffsetDateTime.class);
                    boolean on = row.get("web_push_enabled", Boolean.class);
                    String publicKey = on ? row.get("public_key", String.class) : null;
                    Instant createdAt = on && created != null ? created.toInstant() : null;
                    return new VapidView(on, publicKey, createdAt, createdAt == null ? null : createdAt.plus(period),
                            VapidRequests.format(period), row.get("vapid_subject", String.class));
                })
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No app " + appId)));
    }

    private static void change(Map<String, Object> changes, String field, @Nullable Object from, @Nullable Object to) {
        if (!Objects.equals(from, to)) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("from", from);
            change.put("to", to);
            changes.put(field, change);
        }
    }
}
