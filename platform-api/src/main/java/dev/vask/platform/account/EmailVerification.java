package dev.vask.platform.account;

import java.time.Duration;

import dev.vask.platform.mail.MailOutbox;
import dev.vask.platform.edge.PublicUrl;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Proving that an account's holder receives mail at its address: a single-use link (the dashboard's
 * {@code /dashboard/verify} page) that expires after {@code vask.accounts.verification-lifetime}. An
 * unverified account uses the tenants it created, and nothing else: invitations wait until its
 * address is verified.
 */
@Service
public class EmailVerification {

    private static final Logger log = LoggerFactory.getLogger(EmailVerification.class);

    private final DatabaseClient database;
    private final AccountTokens tokens;
    private final MailOutbox outbox;
    private final PublicUrl publicUrl;
    private final AccountProperties properties;

    public EmailVerification(DatabaseClient database, AccountTokens tokens, MailOutbox outbox, PublicUrl publicUrl,
            AccountProperties properties) {
        this.database = database;
        this.tokens = tokens;
        this.outbox = outbox;
        this.publicUrl = publicUrl;
        this.properties = properties;
    }

    /** Issues a link for the account's address and queues the mail. */
    public Mono<Void> send(long accountId, String email) {
        return tokens.issue(accountId, email, AccountTokens.Purpose.VERIFY, properties.verificationLifetime())
                .doOnNext(token -> outbox.post(AccountMail.verification(email,
                        publicUrl.dashboard("/verify", token).toString(), properties.verificationLifetime())))
                .then();
    }

    /** Sends a new link to the caller's address: 409 when it is verified already, 429 when the last link is very recent. */
    public Mono<Void> resend(Caller caller) {
        return database.sql("select email, email_verified_at is not null as verified from accounts where id = :id")
                .bind("id", caller.accountId())
                .map(row -> new Status(row.get("email", String.class), Boolean.TRUE.equals(row.get("verified", Boolean.class))))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("This account no longer exists")))
                .flatMap(status -> status.verified()
                        ? Mono.error(ApiException.conflict("already-verified", "Already verified", "Your address " + status.email()
                                + " is verified already"))
                        : tokens.lastIssued(caller.accountId(), AccountTokens.Purpose.VERIFY)
                                .defaultIfEmpty(Duration.ofDays(365))
                                .flatMap(age -> age.compareTo(properties.mailInterval()) < 0
                                        ? Mono.error(ApiException.of(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS,
                                                "too-many-requests", "Too many requests",
                                                "A verification mail was sent moments ago; check your inbox (and spam folder) first",
                                                properties.mailInterval().minus(age)))
                                        : send(caller.accountId(), status.email())));
    }

    /** Uses the link: marks the address it was sent to verified, if it is still the account's address. */
    public Mono<VerificationView> confirm(String token) {
        return tokens.use(AccountTokens.Purpose.VERIFY, token)
                .flatMap(holder -> database.sql("update accounts set email_verified_at = coalesce(email_verified_at, now()), "
                                + "updated_at = now() where id = :id and lower(email) = lower(:email) returning email")
                        .bind("id", holder.accountId())
                        .bind("email", holder.email())
                        .map(row -> row.get("email", String.class))
                        .one()
                        .switchIfEmpty(Mono.error(() -> AccountTokens.invalid(AccountTokens.Purpose.VERIFY)))
                        .doOnNext(email -> log.atInfo().addKeyValue("accountId", holder.accountId()).log("Email address verified")))
                .map(email -> new VerificationView(email, true));
    }

    private record Status(String email, boolean verified) {
    }
}
