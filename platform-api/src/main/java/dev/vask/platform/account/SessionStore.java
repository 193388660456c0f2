package dev.vask.platform.account;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementProperties;
import dev.vask.platform.management.OpaqueTokens;
import dev.vask.platform.management.Scope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Browser sessions ({@code account_sessions}): created by signing in, ended by signing out, by a
 * password change (every other session of the account) or by expiry ({@code vask.management.session-lifetime}).
 * The cookie value is random; the table holds only its SHA-256.
 */
@Component
public class SessionStore {

    /** The cookie that carries a session; sent only to {@code /api/v1}, never readable by scripts. */
    public static final String COOKIE = "VASK_SESSION";

    private final DatabaseClient database;
    private final ManagementProperties properties;

    public SessionStore(DatabaseClient database, ManagementProperties properties) {
        this.database = database;
        this.properties = properties;
    }

    /** A new session: the value for the cookie, and when it expires. */
    public record NewSession(long id, String value, Instant expiresAt) {

        @Override
        public String toString() {
            return "NewSession[id=" + id + ", expiresAt=" + expiresAt + "]";
        }
    }

    public Mono<NewSession> create(long accountId) {
        String value = OpaqueTokens.random();
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(properties.sessionLifetime());
        return database.sql("insert into account_sessions (account_id, token_hash, expires_at) values (:account, :hash, :expires) returning id")
                .bind("account", accountId)
                .bind("hash", OpaqueTokens.sha256(value))
                .bind("expires", expires)
                .map(row -> row.get("id", Long.class))
                .one()
                .map(id -> new NewSession(id, value, expires.toInstant()));
    }

    /** The caller this cookie value signs in, if it names a live session. */
    public Mono<Caller> authenticate(String value) {
        return database.sql("""
                        select s.id, s.account_id, a.email from account_sessions s join accounts a on a.id = s.account_id
                        where s.token_hash = :hash and s.expires_at > now()""")
                .bind("hash", OpaqueTokens.sha256(value))
                .map(row -> new Caller(row.get("account_id", Long.class), row.get("email", String.class), Caller.Method.SESSION,
                        Set.of(Scope.READ, Scope.WRITE), row.get("id", Long.class)))
                .one();
    }

    public Mono<Instant> expiresAt(long sessionId) {
        return database.sql("select expires_at from account_sessions where id = :id")
                .bind("id", sessionId)
                .map(row -> row.get("expires_at", OffsetDateTime.class).toInstant())
                .one();
    }

    public Mono<Void> delete(long sessionId) {
        return database.sql("delete from account_sessions where id = :id").bind("id", sessionId).then();
    }

    /** Ends every session of the account but one (after a password change), and expired ones. */
    public Mono<Long> deleteOthers(long accountId, long keep) {
        return database.sql("delete from account_sessions where account_id = :account and id <> :keep")
                .bind("account", accountId)
                .bind("keep", keep)
                .fetch().rowsUpdated();
    }

    public Mono<Void> deleteExpired(long accountId) {
        return database.sql("delete from account_sessions where account_id = :account and expires_at <= now()")
                .bind("account", accountId)
                .then();
    }
}
