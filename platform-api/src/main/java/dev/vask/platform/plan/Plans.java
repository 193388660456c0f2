package dev.vask.platform.plan;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.DatabaseErrors;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The plans ({@code plans}) and which tenant is on which. Who may call what is checked by the callers
 * (operators manage plans; members read their tenant's). Changing a plan, or a tenant's plan, reaches
 * every node within about a second (the V4 triggers announce the apps concerned).
 */
@Service
public class Plans {

    static final String COLUMNS = "p.id, p.name, p.max_connections, p.max_message_bytes, p.max_messages_per_day, p.max_apps, "
            + "p.client_events_per_second";
    private static final Logger log = LoggerFactory.getLogger(Plans.class);
    private static final String NAME_UNIQUE = "plans_name_unique";

    private final DatabaseClient database;
    private final PlanProperties properties;

    public Plans(DatabaseClient database, PlanProperties properties) {
        this.database = database;
        this.properties = properties;
    }

    /** The default plan of the configuration. */
    public Plan defaultPlan() {
        return properties.defaults().plan();
    }

    /** The tenant's plan (the default one when it has none); empty when there is no such tenant. */
    public Mono<Plan> forTenant(long tenantId) {
        return database.sql("select t.plan_id is null as default_plan, " + COLUMNS + " from tenants t left join plans p on p.id = t.plan_id "
                        + "where t.id = :tenant")
                .bind("tenant", tenantId)
                .map(row -> Boolean.TRUE.equals(row.get("default_plan", Boolean.class)) ? defaultPlan() : read(row))
                .one();
    }

    /** The default plan first, then the stored ones by name. */
    public Flux<Plan> list() {
        return Flux.concat(Mono.just(defaultPlan()),
                database.sql("select " + COLUMNS + " from plans p order by lower(p.name), p.id").map(Plans::read).all());
    }

    public Mono<Plan> get(long planId) {
        return database.sql("select " + COLUMNS + " from plans p where p.id = :id")
                .bind("id", planId)
                .map(Plans::read)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No plan " + planId)));
    }

    public Mono<Plan> create(Plan plan) {
        return bind(database.sql("insert into plans (name, max_connections, max_message_bytes, max_messages_per_day, max_apps, "
                        + "client_events_per_second) values (:name, :maxConnections, :maxMessageBytes, :maxMessagesPerDay, :maxApps, "
                        + ":clientEventsPerSecond) returning id"), plan)
                .map(row -> row.get("id", Long.class))
                .one()
                .onErrorMap(Plans::nameTaken)
                .flatMap(this::get)
                .doOnNext(created -> log.atInfo().addKeyValue("planId", created.id()).log("Plan created"));
    }

    /** Replaces the plan's name and ceilings; apps of its tenants get the new ceilings on every node. */
    public Mono<Plan> update(long planId, Plan plan) {
        return bind(database.sql("update plans set name = :name, max_connections = :maxConnections, max_message_bytes = :maxMessageBytes, "
                        + "max_messages_per_day = :maxMessagesPerDay, max_apps = :maxApps, client_events_per_second = :clientEventsPerSecond, "
                        + "updated_at = now() where id = :id").bind("id", planId), plan)
                .fetch().rowsUpdated()
                .onErrorMap(Plans::nameTaken)
                .flatMap(updated -> updated == 1 ? get(planId) : Mono.error(ApiException.notFound("No plan " + planId)))
                .doOnNext(changed -> log.atInfo().addKeyValue("planId", planId).log("Plan changed"));
    }

    /** Deletes a plan no tenant is on (409 {@code plan-in-use} otherwise). */
    public Mono<Void> delete(long planId) {
        return database.sql("delete from plans where id = :id")
                .bind("id", planId)
                .fetch().rowsUpdated()
                .onErrorMap(error -> DatabaseErrors.isForeignKeyViolation(error)
                        ? ApiException.conflict("plan-in-use", "Plan in use", "Tenants are on plan " + planId
                                + "; give them another plan first")
                        : error)
                .flatMap(deleted -> deleted == 1 ? Mono.<Void>empty() : Mono.error(ApiException.notFound("No plan " + planId)));
    }

    /** Puts the tenant on the plan (null: the default plan); answers the plan. */
    public Mono<Plan> assign(long tenantId, @Nullable Long planId) {
        Mono<Plan> plan = planId == null ? Mono.just(defaultPlan()) : get(planId);
        return plan.flatMap(found -> {
            var update = database.sql("update tenants set plan_id = :plan where id = :tenant").bind("tenant", tenantId);
            update = planId == null ? update.bindNull("plan", Long.class) : update.bind("plan", planId);
            return update.fetch().rowsUpdated()
                    .flatMap(updated -> updated == 1 ? Mono.just(found) : Mono.error(ApiException.notFound("No tenant " + tenantId)));
        }).doOnNext(found -> log.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("plan", found.name()).log("Tenant plan changed"));
    }

    static Plan read(Readable row) {
        return new Plan(row.get("id", Long.class), row.get("name", String.class), row.get("max_connections", Integer.class),
                row.get("max_message_bytes", Integer.class), row.get("max_messages_per_day", Long.class), row.get("max_apps", Integer.class),
                row.get("client_events_per_second", Integer.class));
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Plan plan) {
        spec = spec.bind("name", plan.name().strip())
                .bind("maxMessageBytes", plan.maxMessageBytes())
                .bind("clientEventsPerSecond", plan.clientEventsPerSecond());
        spec = plan.maxConnections() == null ? spec.bindNull("maxConnections", Integer.class) : spec.bind("maxConnections", plan.maxConnections());
        spec = plan.maxMessagesPerDay() == null ? spec.bindNull("maxMessagesPerDay", Long.class)
                : spec.bind("maxMessagesPerDay", plan.maxMessagesPerDay());
        return plan.maxApps() == null ? spec.bindNull("maxApps", Integer.class) : spec.bind("maxApps", plan.maxApps());
    }

    private static Throwable nameTaken(Throwable error) {
        return DatabaseErrors.violates(error, NAME_UNIQUE)
                ? ApiException.conflict("plan-name-taken", "Plan name taken", "Another plan has this name") : error;
    }
}
