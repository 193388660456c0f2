package dev.vask.platform.account;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.OpaqueTokens;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The single-use links mailed to account holders ({@code account_tokens}): random, stored as SHA-256,
 * bound to the address they were sent to, expiring, and used at most once (the statement that uses
 * one also checks it is unused and unexpired, so two clicks at once cannot both succeed). Issuing a
 * new link of a purpose cancels the account's older unused ones.
 */
@Component
public class AccountTokens {

    /** What a link does. */
    public enum Purpose {
        VERIFY, RESET;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The account and address a link was issued for. */
    public record Holder(long accountId, String email) {
    }

    private final DatabaseClient database;

    public AccountTokens(DatabaseClient database) {
        this.database = database;
    }

    /** A new link value for the account; older unused links of the same purpose stop working. */
    public Mono<String> issue(long accountId, String email, Purpose purpose, Duration lifetime) {
        String token = OpaqueTokens.random();
        return database.sql("delete from account_tokens where account_id = :account and purpose = :purpose and used_at is null")
                .bind("account", accountId)
                .bind("purpose", purpose.value())
                .then()
                .then(database.sql("insert into account_tokens (account_id, purpose, email, token_hash, expires_at) "
                                + "values (:account, :purpose, :email, :hash, :expires)")
                        .bind("account", accountId)
                        .bind("purpose", purpose.value())
                        .bind("email", email)
                        .bind("hash", OpaqueTokens.sha256(token))
                        .bind("expires", OffsetDateTime.now(ZoneOffset.UTC).plus(lifetime))
                        .then())
                .thenReturn(token);
    }

    /** How long ago the account's newest link of this purpose was issued; empty when it has none. */
    public Mono<Duration> lastIssued(long accountId, Purpose purpose) {
        return database.sql("select extract(epoch from now() - max(created_at)) * 1000 as age from account_tokens "
                        + "where account_id = :account and purpose = :purpose")
                .bind("account", accountId)
                .bind("purpose", purpose.value())
                .map(row -> {
                    Number age = row.get("age", java.math.BigDecimal.class);
                    return age == null ? Duration.ofDays(365) : Duration.ofMillis(age.longValue());
                })
                .one();
    }

    /** Whom an unused, unexpired link was issued for, without using it; 400 {@code invalid-link} otherwise. */
    public Mono<Holder> peek(Purpose purpose, String token) {
        return database.sql("select account_id, email from account_tokens where token_hash = :hash and purpose = :purpose "
                        + "and used_at is null and expires_at > now()")
                .bind("hash", OpaqueTokens.sha256(token))
                .bind("purpose", purpose.value())
                .map(row -> new Holder(row.get("account_id", Long.class), row.get("email", String.class)))
                .one()
                .switchIfEmpty(Mono.error(() -> invalid(purpose)));
    }

    /** Uses the link: answers whom it was issued for, once; 400 {@code invalid-link} if unknown, used or expired. */
    public Mono<Holder> use(Purpose purpose, String token) {
        return database.sql("update account_tokens set used_at = now() where token_hash = :hash and purpose = :purpose "
                        + "and used_at is null and expires_at > now() returning account_id, email")
                .bind("hash", OpaqueTokens.sha256(token))
                .bind("purpose", purpose.value())
                .map(row -> new Holder(row.get("account_id", Long.class), row.get("email", String.class)))
                .one()
                .switchIfEmpty(Mono.error(() -> invalid(purpose)));
    }

    static ApiException invalid(Purpose purpose) {
        String ask = purpose == Purpose.VERIFY ? "ask for a new verification mail" : "ask for a new password-reset mail";
        return ApiException.of(HttpStatus.BAD_REQUEST, "invalid-link", "Link invalid or expired",
                "This link is unknown, was used already or has expired: " + ask);
    }
}
