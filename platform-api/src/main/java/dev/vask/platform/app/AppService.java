package dev.vask.platform.app;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
import dev.vask.platform.management.Role;
import dev.vask.platform.management.TenantAccess;
import dev.vask.platform.plan.CreationCaps;
import dev.vask.platform.plan.Plan;
import dev.vask.platform.plan.Plans;
import dev.vask.platform.vapid.VapidKeys;
import dev.vask.realtime.app.AppLimits;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Apps of the caller's tenants. Every statement is scoped by the caller's membership (and, for
 * writes, role) in SQL. Changes are written with {@code updated_at = now()} in one transaction with
 * their audit entry; the V1 triggers then tell every node (disable, toggles and limits apply live).
 *
 * <p>Concurrent edits: a PATCH locks the app row, so two edits never interleave; a client that must
 * not overwrite someone else's change sends {@code If-Match} with the ETag it read (412 otherwise).
 */
@Service
public class AppService {

    private static final Logger log = LoggerFactory.getLogger(AppService.class);
    private static final AppView.Features NO_FEATURES = new AppView.Features(false, false, false, false, false, false);
    private static final AppView.Limits DEFAULT_LIMITS = new AppView.Limits(null, AppLimits.DEFAULT_MAX_MESSAGE_BYTES,
            AppLimits.DEFAULT_CLIENT_EVENTS_PER_SECOND, AppLimits.DEFAULT_MAX_PRESENCE_MEMBERS, null);
    private static final String COLUMNS = """
            a.id, a.tenant_id, a.name, a.enabled, a.client_events_enabled, a.user_authentication_required,
            a.watchlist_events_enabled, a.subscription_count_enabled, a.web_push_enabled, a.push_fallback_enabled, a.max_connections,
            a.max_message_bytes, a.client_events_per_second, a.max_presence_members, a.max_messages_per_day,
            a.created_at, a.updated_at""";

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final TenantAccess access;
    private final AuditLog audit;
    private final Plans plans;
    private final CreationCaps caps;
    private final VapidKeys vapidKeys;

    public AppService(DatabaseClient database, TransactionalOperator transactions, TenantAccess access, AuditLog audit, Plans plans,
            CreationCaps caps, VapidKeys vapidKeys) {
        this.vapidKeys = vapidKeys;
        this.database = database;
        this.transactions = transactions;
        this.access = access;
        this.audit = audit;
        this.plans = plans;
        this.caps = caps;
    }

    /** The entity tag of this version of the app, for {@code ETag} and {@code If-Match}. */
    public static String etag(AppView app) {
        Instant updated = app.updatedAt();
        long micros = updated.getEpochSecond() * 1_000_000 + updated.getNano() / 1_000;
        return "\"" + app.id() + "-" + Long.toString(micros, 36) + "\"";
    }

    /** The apps of every tenant the caller is a member of. */
    public Flux<AppView> listAll(Caller caller) {
        return database.sql("select " + COLUMNS + " from apps a join tenant_members m on m.tenant_id = a.tenant_id "
                        + "and m.account_id = :caller order by a.id")
                .bind("caller", caller.accountId())
                .map(AppService::view)
                .all();
    }

    public Flux<AppView> list(Caller caller, long tenantId) {
        return access.requireTenant(caller, tenantId, Permission.READ, false)
                .thenMany(database.sql("select " + COLUMNS + " from apps a where a.tenant_id = :tenant and "
                                + TenantAccess.memberWithRole("a.tenant_id") + " order by a.id")
                        .bind("tenant", tenantId)
                        .bind("caller", caller.accountId())
                        .bind("roles", Permission.READ.roleValues())
                        .map(AppService::view)
                        .all());
    }

    public Mono<AppView> get(Caller caller, long appId) {
        return database.sql("select " + COLUMNS + " from apps a where a.id = :app and " + TenantAccess.memberWithRole("a.tenant_id"))
                .bind("app", appId)
                .bind("caller", caller.accountId())
                .bind("roles", Permission.READ.roleValues())
                .map(AppService::view)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No app " + appId)));
    }

    public Mono<AppView> create(Caller caller, long tenantId, AppRequests.NewApp request) {
        List<FieldViolation> errors = new ArrayList<>();
        if (request.features() != null) {
            errors.addAll(request.features().nullViolations("features."));
        }
        if (request.limits() != null) {
            errors.addAll(request.limits().nullViolations("limits."));
        }
        if (!errors.isEmpty()) {
            return Mono.error(ApiException.invalid(errors));
        }
        boolean setsLimits = request.limits() != null && !request.limits().empty();
        AppView.Features features = request.features() != null ? request.features().applyTo(NO_FEATURES) : NO_FEATURES;
        boolean enabled = request.enabled() == null || request.enabled();
        String name = Objects.requireNonNull(request.name()).strip();
        Permission needed = setsLimits ? Permission.SET_LIMITS : Permission.MANAGE_APPS;
        Mono<AppView> create = access.requireTenant(caller, tenantId, Permission.MANAGE_APPS, true)
                .flatMap(role -> requireLimitRights(role, setsLimits))
                .then(plans.forTenant(tenantId))
                .flatMap(plan -> {
                    // the defaults of a new app, lowered to the plan's ceilings where these are lower
                    AppView.Limits defaults = new AppView.Limits(null, Math.min(DEFAULT_LIMITS.maxMessageBytes(), plan.maxMessageBytes()),
                            Math.min(DEFAULT_LIMITS.clientEventsPerSecond(), plan.clientEventsPerSecond()), DEFAULT_LIMITS.maxPresenceMembers(),
                            null);
                    AppView.Limits limits = request.limits() != null ? request.limits().applyTo(defaults) : defaults;
                    List<FieldViolation> over = overCeiling(plan, limits, null);
                    if (!over.isEmpty()) {
                        return Mono.error(plan.refusal(over));
                    }
                    return caps.requireAppSlot(caller.accountId(), tenantId, plan).thenReturn(limits);
                })
                .flatMap(limits -> bindAll(database.sql("""
                                insert into apps (tenant_id, name, enabled, client_events_enabled, user_authentication_required,
                                    watchlist_events_enabled, subscription_count_enabled, web_push_enabled, push_fallback_enabled, max_connections,
                                    max_message_bytes, client_events_per_second, max_presence_members, max_messages_per_day, created_by)
                                select :tenant, :name, :enabled, :clientEvents, :userAuthenticationRequired, :watchlistEvents,
                                    :subscriptionCount, :webPush, :pushFallback, :maxConnections, :maxMessageBytes, :clientEventsPerSecond,
                                    :maxPresenceMembers, :maxMessagesPerDay, :caller
                                where %s
                                returning id""".formatted(TenantAccess.memberWithRole(":tenant")))
                                .bind("tenant", tenantId)
                                .bind("caller", caller.accountId())
                                .bind("roles", needed.roleValues()), name, enabled, features, limits)
                        .map(row -> row.get("id", Long.class))
                        .one())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No tenant " + tenantId)))
                .flatMap(id -> audit.record(caller, tenantId, AuditAction.APP_CREATED, Long.toString(id), Map.of("name", name))
                        .then(features.webPush() ? vapidKeys.createIfMissing(id) : Mono.empty())
                        .then(get(caller, id)))
                .doOnNext(app -> log.atInfo().addKeyValue("appId", app.id()).addKeyValue("tenantId", tenantId).log("App created"));
        return transactions.transactional(create);
    }

    /**
     * Applies the fields present in the patch. {@code ifMatch} (the ETag read earlier, or null) makes
     * the change conditional. Answers the app as it is afterwards; a patch that changes nothing writes nothing.
     */
    public Mono<AppView> update(Caller caller, long appId, AppRequests.AppPatch patch, @Nullable String ifMatch) {
        List<FieldViolation> errors = new ArrayList<>();
        if (patch.name() != null && patch.name().isBlank()) {
            errors.add(new FieldViolation("name", "must not be blank"));
        }
        errors.addAll(patch.nullViolations());
        if (!errors.isEmpty()) {
            return Mono.error(ApiException.invalid(errors));
        }
        boolean setsLimits = patch.limits() != null && !patch.limits().empty();
        Permission needed = setsLimits ? Permission.SET_LIMITS : Permission.MANAGE_APPS;
        Mono<AppView> update = access.requireApp(caller, appId, Permission.MANAGE_APPS, true)
                .flatMap(app -> requireLimitRights(app.role(), setsLimits).then(get(caller, appId)))
                .zipWhen(current -> setsLimits ? plans.forTenant(current.tenantId()) : Mono.just(plans.defaultPlan()))
                .flatMap(currentAndPlan -> {
                    AppView current = currentAndPlan.getT1();
                    if (ifMatch != null && !matches(ifMatch, current)) {
                        return Mono.error(ApiException.preconditionFailed("App " + appId + " changed since you read it (ETag "
                                + etag(current) + "); read it again and reapply your change"));
                    }
                    String name = patch.name() != null ? patch.name().strip() : current.name();
                    boolean enabled = patch.enabled() != null ? patch.enabled() : current.enabled();
                    AppView.Features features = patch.features() != null ? patch.features().applyTo(current.features()) : current.features();
                    AppView.Limits limits = patch.limits() != null ? patch.limits().applyTo(current.limits()) : current.limits();
                    List<FieldViolation> over = setsLimits ? overCeiling(currentAndPlan.getT2(), limits, current.limits()) : List.of();
                    if (!over.isEmpty()) {
                        return Mono.error(currentAndPlan.getT2().refusal(over));
                    }
                    Map<String, Object> changes = changes(current, name, enabled, features, limits);
                    if (changes.isEmpty()) {
                        return Mono.just(current);
                    }
                    return bindAll(database.sql("""
                                    update apps a set name = :name, enabled = :enabled, client_events_enabled = :clientEvents,
                                        user_authentication_required = :userAuthenticationRequired,
                                        watchlist_events_enabled = :watchlistEvents, subscription_count_enabled = :subscriptionCount,
                                        web_push_enabled = :webPush, push_fallback_enabled = :pushFallback, max_connections = :maxConnections,
                                        max_message_bytes = :maxMessageBytes, client_events_per_second = :clientEventsPerSecond,
                                        max_presence_members = :maxPresenceMembers, max_messages_per_day = :maxMessagesPerDay,
                                        updated_at = greatest(now(), a.updated_at + interval '1 microsecond')
                                    where a.id = :app and %s""".formatted(TenantAccess.memberWithRole("a.tenant_id")))
                                    .bind("app", appId)
                                    .bind("caller", caller.accountId())
                                    .bind("roles", needed.roleValues()), name, enabled, features, limits)
                            .fetch().rowsUpdated()
                            .flatMap(updated -> updated == 1 ? audit.record(caller, current.tenantId(), AuditAction.APP_UPDATED,
                                    Long.toString(appId), changes) : Mono.error(ApiException.notFound("No app " + appId)))
                            .then(webPushChanged(appId, current.features().webPush(), features.webPush()))
                            .then(get(caller, appId))
                            .doOnNext(app -> log.atInfo().addKeyValue("appId", appId).addKeyValue("fields", changes.keySet())
                                    .log("App updated"));
                });
        return transactions.transactional(update);
    }

    /**
     * Web Push turned on: the app gets its VAPID key pair. Turned off: the pair is deleted, and with it every push
     * subscription made with it (browsers must subscribe again with a new key if it is turned on again). In the
     * caller's transaction, so the toggle and the key change together.
     */
    private Mono<Void> webPushChanged(long appId, boolean was, boolean now) {
        if (was == now) {
            return Mono.empty();
        }
        return now ? vapidKeys.createIfMissing(appId) : vapidKeys.destroy(appId);
    }

    /** Deletes the app with its keys and usage; every node closes its sockets within about a second. */
    public Mono<Void> delete(Caller caller, long appId) {
        Mono<Void> delete = access.requireApp(caller, appId, Permission.MANAGE_APPS, true)
                .flatMap(access -> get(caller, appId)
                        .flatMap(app -> database.sql("delete from apps a where a.id = :app and " + TenantAccess.memberWithRole("a.tenant_id"))
                                .bind("app", appId)
                                .bind("caller", caller.accountId())
                                .bind("roles", Permission.MANAGE_APPS.roleValues())
                                .fetch().rowsUpdated()
                                .flatMap(deleted -> deleted == 1
                                        ? audit.record(caller, access.tenantId(), AuditAction.APP_DELETED, Long.toString(appId),
                                                Map.of("name", app.name()))
                                        : Mono.error(ApiException.notFound("No app " + appId)))))
                .doOnSuccess(done -> log.atInfo().addKeyValue("appId", appId).log("App deleted"));
        return transactions.transactional(delete);
    }

    /**
     * The limits above the plan's ceilings; with {@code current}, only those that change (a limit that
     * was set before the plan was lowered may stay: every node bounds it by the ceiling anyway).
     */
    private static List<FieldViolation> overCeiling(Plan plan, AppView.Limits limits, AppView.@Nullable Limits current) {
        return plan.violations("limits.", limits.maxConnections(), limits.maxMessageBytes(), limits.clientEventsPerSecond(),
                        limits.maxMessagesPerDay()).stream()
                .filter(violation -> current == null || changed(violation.field(), limits, current))
                .toList();
    }

    private static boolean changed(String field, AppView.Limits limits, AppView.Limits current) {
        return switch (field) {
            case "limits.maxConnections" -> !Objects.equals(limits.maxConnections(), current.maxConnections());
            case "limits.maxMessageBytes" -> limits.maxMessageBytes() != current.maxMessageBytes();
            case "limits.clientEventsPerSecond" -> limits.clientEventsPerSecond() != current.clientEventsPerSecond();
            case "limits.maxMessagesPerDay" -> !Objects.equals(limits.maxMessagesPerDay(), current.maxMessagesPerDay());
            default -> true;
        };
    }

    private static Mono<Void> requireLimitRights(Role role, boolean setsLimits) {
        if (setsLimits && !role.can(Permission.SET_LIMITS)) {
            return Mono.error(ApiException.forbidden("Changing limits needs the admin or owner role (yours: " + role.value()
                    + "); send the request without the limits field"));
        }
        return Mono.empty();
    }

    private static boolean matches(String ifMatch, AppView current) {
        String tag = etag(current);
        for (String candidate : ifMatch.split(",")) {
            String value = candidate.strip();
            if (value.equals("*") || value.equals(tag) || value.equals("W/" + tag)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> changes(AppView current, String name, boolean enabled, AppView.Features features,
            AppView.Limits limits) {
        Map<String, Object> changes = new LinkedHashMap<>();
        change(changes, "name", current.name(), name);
        change(changes, "enabled", current.enabled(), enabled);
        AppView.Features was = current.features();
        change(changes, "features.clientEvents", was.clientEvents(), features.clientEvents());
        change(changes, "features.userAuthenticationRequired", was.userAuthenticationRequired(), features.userAuthenticationRequired());
        change(changes, "features.watchlistEvents", was.watchlistEvents(), features.watchlistEvents());
        change(changes, "features.subscriptionCount", was.subscriptionCount(), features.subscriptionCount());
        change(changes, "features.webPush", was.webPush(), features.webPush());
        change(changes, "features.pushFallback", was.pushFallback(), features.pushFallback());
        AppView.Limits old = current.limits();
        change(changes, "limits.maxConnections", old.maxConnections(), limits.maxConnections());
        change(changes, "limits.maxMessageBytes", old.maxMessageBytes(), limits.maxMessageBytes());
        change(changes, "limits.clientEventsPerSecond", old.clientEventsPerSecond(), limits.clientEventsPerSecond());
        change(changes, "limits.maxPresenceMembers", old.maxPresenceMembers(), limits.maxPresenceMembers());
        change(changes, "limits.maxMessagesPerDay", old.maxMessagesPerDay(), limits.maxMessagesPerDay());
        return changes;
    }

    private static void change(Map<String, Object> changes, String field, @Nullable Object from, @Nullable Object to) {
        if (!Objects.equals(from, to)) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("from", from);
            change.put("to", to);
            changes.put(field, change);
        }
    }

    private static DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec spec, String name, boolean enabled,
            AppView.Features features, AppView.Limits limits) {
        spec = spec.bind("name", name)
                .bind("enabled", enabled)
                .bind("clientEvents", features.clientEvents())
                .bind("userAuthenticationRequired", features.userAuthenticationRequired())
                .bind("watchlistEvents", features.watchlistEvents())
                .bind("subscriptionCount", features.subscriptionCount())
                .bind("webPush", features.webPush())
                .bind("pushFallback", features.pushFallback())
                .bind("maxMessageBytes", limits.maxMessageBytes())
                .bind("clientEventsPerSecond", limits.clientEventsPerSecond())
                .bind("maxPresenceMembers", limits.maxPresenceMembers());
        spec = limits.maxConnections() == null ? spec.bindNull("maxConnections", Integer.class)
                : spec.bind("maxConnections", limits.maxConnections());
        return limits.maxMessagesPerDay() == null ? spec.bindNull("maxMessagesPerDay", Long.class)
                : spec.bind("maxMessagesPerDay", limits.maxMessagesPerDay());
    }

    static AppView view(Readable row) {
        return new AppView(
                row.get("id", Long.class),
                row.get("tenant_id", Long.class),
                row.get("name", String.class),
                row.get("enabled", Boolean.class),
                new AppView.Features(
                        row.get("client_events_enabled", Boolean.class),
                        row.get("user_authentication_required", Boolean.class),
                        row.get("watchlist_events_enabled", Boolean.class),
                        row.get("subscription_count_enabled", Boolean.class),
                        row.get("web_push_enabled", Boolean.class),
                        row.get("push_fallback_enabled", Boolean.class)),
                new AppView.Limits(
                        row.get("max_connections", Integer.class),
                        row.get("max_message_bytes", Integer.class),
                        row.get("client_events_per_second", Integer.class),
                        row.get("max_presence_members", Integer.class),
                        row.get("max_messages_per_day", Long.class)),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}
