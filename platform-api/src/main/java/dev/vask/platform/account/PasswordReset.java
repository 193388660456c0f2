package dev.vask.platform.account;

import java.net.InetSocketAddress;
import java.time.Duration;

import dev.vask.platform.mail.MailOutbox;
import dev.vask.platform.edge.PublicUrl;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.FieldViolation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Forgotten passwords: a single-use link mailed to the account's address ({@code /dashboard/reset-password}),
 * valid for {@code vask.accounts.reset-lifetime}. Asking answers the same whether or not an account has
 * the address, and never waits for the mail to be sent (which would take an SMTP round trip, and so
 * tell by its timing that the account exists).
 *
 * <p>Setting the new password proves the holder receives mail at the address: it marks the address
 * verified, ends every session of the account and forgets its failed sign-ins. If the address was
 * not verified before, whoever created the account never proved it was theirs, so the account's API
 * tokens are revoked as well.
 */
@Service
public class PasswordReset {

    private static final Logger log = LoggerFactory.getLogger(PasswordReset.class);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final AccountTokens tokens;
    private final PasswordPolicy policy;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    private final AddressRateLimit rateLimit;
    private final MailOutbox outbox;
    private final PublicUrl publicUrl;
    private final AccountProperties properties;

    public PasswordReset(DatabaseClient database, TransactionalOperator transactions, AccountTokens tokens, PasswordPolicy policy,
            PasswordEncoder passwords, LoginThrottle throttle, AddressRateLimit rateLimit, MailOutbox outbox, PublicUrl publicUrl,
            AccountProperties properties) {
        this.database = database;
        this.transactions = transactions;
        this.tokens = tokens;
        this.policy = policy;
        this.passwords = passwords;
        this.throttle = throttle;
        this.rateLimit = rateLimit;
        this.outbox = outbox;
        this.publicUrl = publicUrl;
        this.properties = properties;
    }

    /**
     * Mails a reset link if an account has this address (at most one per {@code mail-interval}).
     * Completes the same way either way; 429 when the client asked too often.
     */
    public Mono<Void> request(String email, @Nullable InetSocketAddress client) {
        String address = EmailAddress.normalize(email);
        if (EmailAddress.problem(address).isPresent()) {
            return Mono.error(ApiException.invalid("email", EmailAddress.problem(address).get()));
        }
        return rateLimit.take("reset", client, properties.resetsPerAddress(), properties.signupWindow(), "password-reset requests")
                .then(database.sql("select id, email from accounts where lower(email) = lower(:email)")
                        .bind("email", address)
                        .map(row -> new AccountTokens.Holder(row.get("id", Long.class), row.get("email", String.class)))
                        .one())
                .flatMap(account -> tokens.lastIssued(account.accountId(), AccountTokens.Purpose.RESET)
                        .defaultIfEmpty(Duration.ofDays(365))
                        .filter(age -> age.compareTo(properties.mailInterval()) >= 0)
                        .flatMap(age -> tokens.issue(account.accountId(), account.email(), AccountTokens.Purpose.RESET,
                                properties.resetLifetime()))
                        .doOnNext(token -> outbox.post(AccountMail.reset(account.email(),
                                publicUrl.dashboard("/reset-password", token).toString(), properties.resetLifetime()))))
                .then();
    }

    /** Sets the new password with a link from {@link #request}; 400 {@code invalid-link} if it is unknown, used or expired. */
    public Mono<Void> complete(String token, String newPassword) {
        return tokens.peek(AccountTokens.Purpose.RESET, token)
                .flatMap(holder -> database.sql("select display_name from accounts where id = :id")
                        .bind("id", holder.accountId())
                        .map(row -> java.util.Optional.ofNullable(row.get("display_name", String.class)))
                        .one()
                        .defaultIfEmpty(java.util.Optional.empty())
                        .flatMap(name -> policy.problem(newPassword, holder.email(), name.orElse(null)))
                        .flatMap(problem -> problem.isPresent()
                                ? Mono.error(ApiException.invalid(java.util.List.of(new FieldViolation("newPassword", problem.get()))))
                                : Mono.fromCallable(() -> passwords.encode(newPassword)).subscribeOn(Schedulers.boundedElastic()))
                        .flatMap(hash -> transactions.transactional(tokens.use(AccountTokens.Purpose.RESET, token)
                                .flatMap(used -> database.sql("select email_verified_at is null as unverified from accounts "
                                                + "where id = :id and lower(email) = lower(:email) for update")
                                        .bind("id", used.accountId())
                                        .bind("email", used.email())
                                        .map(row -> Boolean.TRUE.equals(row.get("unverified", Boolean.class)))
                                        .one()
                                        .switchIfEmpty(Mono.error(() -> AccountTokens.invalid(AccountTokens.Purpose.RESET)))
                                        .flatMap(wasUnverified -> database.sql("update accounts set password_hash = :hash, updated_at = now(), "
                                                        + "email_verified_at = coalesce(email_verified_at, now()) where id = :id")
                                                .bind("hash", hash)
                                                .bind("id", used.accountId())
                                                .then()
                                                .thenReturn(wasUnverified))
                                        .flatMap(wasUnverified -> endEverything(used.accountId(), wasUnverified)
                                                .then(throttle.forgetAccount(used.email()))
                                                .doOnSuccess(done -> log.atInfo().addKeyValue("accountId", used.accountId())
                                                        .addKeyValue("tokensRevoked", wasUnverified).log("Password reset")))))));
    }

    private Mono<Void> endEverything(long accountId, boolean revokeTokens) {
        Mono<Void> sessions = database.sql("delete from account_sessions where account_id = :id").bind("id", accountId).then();
        Mono<Void> apiTokens = database.sql("update api_tokens set revoked_at = greatest(now(), created_at) where account_id = :id "
                        + "and revoked_at is null")
                .bind("id", accountId)
                .then();
        return revokeTokens ? sessions.then(apiTokens) : sessions;
    }
}
