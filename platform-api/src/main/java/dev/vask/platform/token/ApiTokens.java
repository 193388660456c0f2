package dev.vask.platform.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.OpaqueTokens;
import dev.vask.platform.management.Scope;
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
 * Personal access tokens ({@code api_tokens}). A token is {@value #PREFIX} followed by 43 random
 * characters; the table keeps its SHA-256 and a short hint. Revoking or expiring takes effect on the
 * next request, on every node (each request looks the token up).
 */
@Service
public class ApiTokens {

    public static final String PREFIX = "vask_pat_";
    /** Active tokens one account may hold. */
    public static final int MAX_ACTIVE = 50;
    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);
    private static final String COLUMNS = "id, name, token_hint, scopes, created_at, expires_at, last_used_at, revoked_at";

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    public ApiTokens(DatabaseClient database, TransactionalOperator transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    public Mono<NewTokenView> create(Caller caller, String name, List<String> scopes, @Nullable Instant expiresAt) {
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            return Mono.error(ApiException.invalid("expiresAt", "must be in the future"));
        }
        if (expiresAt != null && expiresAt.isAfter(Instant.now().plus(3653, ChronoUnit.DAYS))) {
            return Mono.error(ApiException.invalid("expiresAt", "must be at most 10 years ahead"));
        }
        Set<Scope> granted = EnumSet.noneOf(Scope.class);
        scopes.forEach(scope -> granted.add(Scope.parse(scope).orElseThrow()));
        if (granted.contains(Scope.WRITE)) {
            granted.add(Scope.READ);
        }
        String token = PREFIX + OpaqueTokens.random();
        String hint = token.substring(0, PREFIX.length() + 6) + "…";
        var insert = database.sql("insert into api_tokens (account_id, name, token_hash, token_hint, scopes, expires_at) "
                        + "select :account, :name, :hash, :hint, :scopes, :expires "
                        + "where (select count(*) from api_tokens where account_id = :account and revoked_at is null "
                        + "and (expires_at is null or expires_at > now())) < :max returning " + COLUMNS)
                .bind("account", caller.accountId())
                .bind("name", name.strip())
                .bind("hash", OpaqueTokens.sha256(token))
                .bind("hint", hint)
                .bind("scopes", granted.stream().map(Scope::value).toArray(String[]::new))
                .bind("max", MAX_ACTIVE);
        insert = expiresAt == null ? insert.bindNull("expires", OffsetDateTime.class)
                : insert.bind("expires", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
        Mono<NewTokenView> create = database.sql("select id from accounts where id = :account for update")
                .bind("account", caller.accountId())
                .then()
                .then(insert.map(ApiTokens::view).one())
                .switchIfEmpty(Mono.error(() -> ApiException.conflict("too-many-tokens", "Too many tokens",
                        "An account holds at most " + MAX_ACTIVE + " active tokens; revoke one first")))
                .map(view -> new NewTokenView(token, view))
                .doOnNext(created -> log.atInfo().addKeyValue("accountId", caller.accountId())
                        .addKeyValue("tokenId", created.details().id()).log("API token created"));
        return transactions.transactional(create);
    }

    public Flux<TokenView> list(Caller caller) {
        return database.sql("select " + COLUMNS + " from api_tokens where account_id = :account order by id")
                .bind("account", caller.accountId())
                .map(ApiTokens::view)
                .all();
    }

    /** Revokes one of the caller's tokens (idempotent); another account's token is not found. */
    public Mono<TokenView> revoke(Caller caller, long tokenId) {
        return database.sql("update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = :id and account_id = :account "
                        + "returning " + COLUMNS)
                .bind("id", tokenId)
                .bind("account", caller.accountId())
                .map(ApiTokens::view)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No token " + tokenId)))
                .doOnNext(revoked -> log.atInfo().addKeyValue("accountId", caller.accountId()).addKeyValue("tokenId", tokenId)
                        .log("API token revoked"));
    }

    /**
     * The caller this bearer token authenticates. Errors with 401 for a malformed, unknown, revoked or
     * expired token (the detail says which, except for unknown ones).
     */
    public Mono<Caller> authenticate(String token) {
        if (!token.startsWith(PREFIX) || token.length() != PREFIX.length() + 43) {
            return Mono.error(ApiException.unauthorized("Unknown API token"));
        }
        return database.sql("""
                        select t.id, t.account_id, t.scopes, t.expires_at <= now() as expired, t.revoked_at is not null as revoked,
                               (t.last_used_at is null or t.last_used_at < now() - interval '1 minute') as stale, a.email
                        from api_tokens t join accounts a on a.id = t.account_id
                        where t.token_hash = :hash""")
                .bind("hash", OpaqueTokens.sha256(token))
                .map(row -> new Found(row.get("id", Long.class), row.get("account_id", Long.class), row.get("email", String.class),
                        scopes(row.get("scopes", String[].class)), Boolean.TRUE.equals(row.get("expired", Boolean.class)),
                        Boolean.TRUE.equals(row.get("revoked", Boolean.class)), Boolean.TRUE.equals(row.get("stale", Boolean.class))))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("Unknown API token")))
                .flatMap(found -> {
                    if (found.revoked()) {
                        return Mono.error(ApiException.unauthorized("This API token was revoked"));
                    }
                    if (found.expired()) {
                        return Mono.error(ApiException.unauthorized("This API token has expired"));
                    }
                    Caller caller = new Caller(found.accountId(), found.email(), Caller.Method.TOKEN, found.scopes(), found.id());
                    // last use to the minute: at most one write per token and minute
                    Mono<Void> touch = found.stale()
                            ? database.sql("update api_tokens set last_used_at = now() where id = :id").bind("id", found.id()).then()
                            : Mono.empty();
                    return touch.thenReturn(caller);
                });
    }

    private record Found(long id, long accountId, String email, Set<Scope> scopes, boolean expired, boolean revoked, boolean stale) {
    }

    private static Set<Scope> scopes(String @Nullable [] values) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (values != null) {
            Arrays.stream(values).forEach(value -> Scope.parse(value).ifPresent(scopes::add));
        }
        return scopes;
    }

    private static TokenView view(Readable row) {
        String[] scopes = row.get("scopes", String[].class);
        List<String> ordered = new ArrayList<>();
        for (Scope scope : scopes(scopes)) {
            ordered.add(scope.value());
        }
        return new TokenView(row.get("id", Long.class), row.get("name", String.class), row.get("token_hint", String.class), ordered,
                row.get("created_at", OffsetDateTime.class).toInstant(), instant(row.get("expires_at", OffsetDateTime.class)),
                instant(row.get("last_used_at", OffsetDateTime.class)), instant(row.get("revoked_at", OffsetDateTime.class)));
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
