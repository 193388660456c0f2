package dev.vask.platform.operator;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.vask.platform.account.EmailAddress;
import dev.vask.platform.audit.AuditAction;
import dev.vask.platform.audit.AuditLog;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.plan.Plan;
import dev.vask.platform.plan.Plans;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What only operators may do, each call starting with {@link #require}: the role is read from the
 * database on every request, so taking it away works at once. Operators are trusted with every
 * tenant's name, owners and plan, never with a tenant's apps or secrets (those need membership).
 */
@Service
public class Operators {

    private static final Logger log = LoggerFactory.getLogger(Operators.class);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final Plans plans;
    private final AuditLog audit;

    public Operators(DatabaseClient database, TransactionalOperator transactions, Plans plans, AuditLog audit) {
        this.database = database;
        this.transactions = transactions;
        this.plans = plans;
        this.audit = audit;
    }

    /** 403 {@code operator-only} unless the caller is an operator. */
    public Mono<Void> require(Caller caller) {
        return database.sql("select operator from accounts where id = :id")
                .bind("id", caller.accountId())
                .map(row -> Boolean.TRUE.equals(row.get("operator", Boolean.class)))
                .one()
                .defaultIfEmpty(false)
                .flatMap(operator -> operator ? Mono.<Void>empty()
                        : Mono.error(ApiException.of(HttpStatus.FORBIDDEN, "operator-only", "Operators only",
                                "Only operators of this Vask manage plans and operators")));
    }

    public Flux<OperatorView> list(Caller caller) {
        return require(caller).thenMany(database.sql("select id, email, display_name from accounts where operator order by id")
                .map(row -> new OperatorView(row.get("id", Long.class), row.get("email", String.class), row.get("display_name", String.class)))
                .all());
    }

    /** Grants the role to the account with this address, which must be verified (else anyone could claim it in advance). */
    public Mono<OperatorView> grant(Caller caller, String email) {
        String address = EmailAddress.normalize(email);
        return require(caller)
                .then(database.sql("update accounts set operator = true, updated_at = now() where lower(email) = lower(:email) "
                                + "and email_verified_at is not null returning id, email, display_name")
                        .bind("email", address)
                        .map(row -> new OperatorView(row.get("id", Long.class), row.get("email", String.class),
                                row.get("display_name", String.class)))
                        .one())
                .switchIfEmpty(Mono.error(() -> ApiException.invalid("email", "no account with a verified address has this email")))
                .doOnNext(granted -> log.atInfo().addKeyValue("accountId", granted.accountId()).addKeyValue("by", caller.accountId())
                        .log("Operator role granted"));
    }

    /** Takes the role away; 409 {@code last-operator} for the last one. */
    public Mono<Void> revoke(Caller caller, long accountId) {
        Mono<Void> revoke = require(caller)
                .then(database.sql("select id from accounts where operator order by id for update").map(row -> row.get("id", Long.class)).all()
                        .collectList())
                .flatMap(operators -> {
                    if (!operators.contains(accountId)) {
                        return Mono.error(ApiException.notFound("Account " + accountId + " is not an operator"));
                    }
                    if (operators.size() == 1) {
                        return Mono.error(ApiException.conflict("last-operator", "Last operator",
                                "A Vask keeps at least one operator: grant the role to someone else first"));
                    }
                    return database.sql("update accounts set operator = false, updated_at = now() where id = :id").bind("id", accountId).then();
                })
                .doOnSuccess(done -> log.atInfo().addKeyValue("accountId", accountId).addKeyValue("by", caller.accountId())
                        .log("Operator role taken away"));
        return transactions.transactional(revoke);
    }

    /** Every tenant with its plan, owners and number of apps. */
    public Flux<OperatorTenantView> tenants(Caller caller) {
        return require(caller).thenMany(database.sql("""
                        select t.id, t.name, t.plan_id, p.name as plan_name, t.created_at,
                            (select count(*) from apps a where a.tenant_id = t.id) as apps,
                            array(select a.email from tenant_members m join accounts a on a.id = m.account_id
                                  where m.tenant_id = t.id and m.role = 'owner' order by a.id) as owners
                        from tenants t left join plans p on p.id = t.plan_id order by t.id""")
                .map(row -> new OperatorTenantView(row.get("id", Long.class), row.get("name", String.class), row.get("plan_id", Long.class),
                        row.get("plan_name", String.class) != null ? row.get("plan_name", String.class) : Plan.DEFAULT_NAME,
                        owners(row.get("owners", String[].class)), row.get("apps", Long.class),
                        row.get("created_at", OffsetDateTime.class).toInstant()))
                .all());
    }

    /** Puts a tenant on a plan (null: the default one); recorded in the tenant's audit log. */
    public Mono<Plan> assign(Caller caller, long tenantId, @Nullable Long planId) {
        Mono<Plan> assign = require(caller)
                .then(plans.forTenant(tenantId))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No tenant " + tenantId)))
                .flatMap(before -> plans.assign(tenantId, planId)
                        .flatMap(after -> audit.record(caller, tenantId, AuditAction.TENANT_PLAN_CHANGED, Long.toString(tenantId),
                                        Map.of("plan", Map.of("from", before.name(), "to", after.name())))
                                .thenReturn(after)));
        return transactions.transactional(assign);
    }

    private static List<String> owners(String @Nullable [] owners) {
        return owners == null ? List.of() : Arrays.asList(owners);
    }
}
