package dev.vask.platform.account;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.DatabaseErrors;
import dev.vask.platform.management.FieldViolation;
import dev.vask.platform.management.ManagementProperties;
import dev.vask.platform.tenant.TenantService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Accounts: sign-up (the account, and a tenant it owns, in one transaction), sign-in with throttling,
 * password change, profile. Passwords are hashed and checked on {@code boundedElastic}, never on an
 * event loop, and before any database transaction starts.
 */
@Service
public class AccountService {

    private static final Logger log = LoggerFactory.getLogger(AccountService.class);
    private static final String EMAIL_UNIQUE = "accounts_email_unique";
    private static final String DECOY_PASSWORD = "decoy password that no account has";

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final PasswordEncoder passwords;
    private final TenantService tenants;
    private final LoginThrottle throttle;
    private final SessionStore sessions;
    private final ManagementProperties properties;
    private final AccountProperties accountProperties;
    private final PasswordPolicy policy;
    private final EmailVerification verification;
    private final AddressRateLimit rateLimit;
    // checked against when the email is unknown, so that an unknown email takes as long as a wrong password
    private final String decoyHash;

    public AccountService(DatabaseClient database, TransactionalOperator transactions, PasswordEncoder passwords,
            TenantService tenants, LoginThrottle throttle, SessionStore sessions, ManagementProperties properties,
            AccountProperties accountProperties, PasswordPolicy policy, EmailVerification verification, AddressRateLimit rateLimit) {
        this.database = database;
        this.transactions = transactions;
        this.passwords = passwords;
        this.tenants = tenants;
        this.throttle = throttle;
        this.sessions = sessions;
        this.properties = properties;
        this.accountProperties = accountProperties;
        this.policy = policy;
        this.verification = verification;
        this.rateLimit = rateLimit;
        this.decoyHash = passwords.encode(DECOY_PASSWORD);
    }

    /**
     * Creates the account and a tenant it owns, and mails a verification link to its address. 409
     * {@code email-taken} when the email is in use in any case; 429 when the client's address signed up
     * too often ({@code vask.accounts.signups-per-address} per {@code signup-window}).
     */
    public Mono<AccountView> signUp(AccountRequests.SignUp request, @Nullable InetSocketAddress client) {
        if (!properties.signupEnabled()) {
            return Mono.error(ApiException.of(HttpStatus.FORBIDDEN, "signup-disabled", "Sign-up disabled",
                    "This Vask does not accept sign-ups; ask an admin of a tenant to invite you"));
        }
        String email = EmailAddress.normalize(request.email());
        String password = request.password();
        List<FieldViolation> errors = new ArrayList<>();
        EmailAddress.problem(email).ifPresent(problem -> errors.add(new FieldViolation("email", problem)));
        if (request.tenantName() != null && request.tenantName().isBlank()) {
            errors.add(new FieldViolation("tenantName", "must not be blank"));
        }
        if (request.displayName() != null && request.displayName().isBlank()) {
            errors.add(new FieldViolation("displayName", "must not be blank"));
        }
        String tenantName = request.tenantName() != null ? request.tenantName() : defaultTenantName(email);
        String displayName = request.displayName() == null ? null : request.displayName().strip();
        return policy.problem(password, email, displayName)
                .flatMap(problem -> {
                    problem.ifPresent(text -> errors.add(new FieldViolation("password", text)));
                    return errors.isEmpty() ? Mono.<Void>empty() : Mono.error(ApiException.invalid(errors));
                })
                .then(rateLimit.take("signup", client, accountProperties.signupsPerAddress(), accountProperties.signupWindow(), "sign-ups"))
                .then(hash(password))
                .flatMap(hash -> transactions.transactional(
                        insertAccount(email, hash, displayName)
                                .flatMap(accountId -> tenants.createOwned(accountId, email, tenantName)
                                        .then(verification.send(accountId, email))
                                        .thenReturn(accountId))))
                .onErrorMap(error -> DatabaseErrors.violates(error, EMAIL_UNIQUE)
                        ? ApiException.conflict("email-taken", "Email taken", "An account with this email exists already; "
                                + "if it is yours, reset its password (POST /api/v1/password-reset)")
                        : error)
                .flatMap(this::view)
                .doOnNext(account -> log.atInfo().addKeyValue("accountId", account.id()).log("Account signed up"));
    }

    private Mono<Long> insertAccount(String email, String hash, @Nullable String displayName) {
        var insert = database.sql("insert into accounts (email, password_hash, display_name) values (:email, :hash, :name) returning id")
                .bind("email", email)
                .bind("hash", hash);
        insert = displayName == null ? insert.bindNull("name", String.class) : insert.bind("name", displayName);
        return insert.map(row -> row.get("id", Long.class)).one();
    }

    private static String defaultTenantName(String email) {
        String local = email.substring(0, Math.max(0, email.indexOf('@'))).strip();
        if (local.isEmpty()) {
            return "My tenant";
        }
        return local.length() > 100 ? local.substring(0, 100) : local;
    }

    /** A successful sign-in: the account and its new session. */
    public record SignedIn(long accountId, SessionStore.NewSession session) {
    }

    /**
     * Checks email and password under the login throttle and opens a session. 429 while this account is
     * locked for this client address, or the address is locked (even with the right password); 401 for a wrong email or password,
     * with the same answer and about the same delay for both.
     */
    public Mono<SignedIn> signIn(String email, String password, @Nullable InetSocketAddress client) {
        String address = EmailAddress.normalize(email);
        LoginThrottle.Subjects subjects = LoginThrottle.subjects(address, client);
        return throttle.lockedFor(subjects)
                .flatMap(locked -> Mono.<SignedIn>error(ApiException.tooManyAttempts(
                        "Too many failed sign-ins for this account from your address, or from your address; try again later", locked)))
                .switchIfEmpty(Mono.defer(() -> credentials(address)
                        .defaultIfEmpty(new Credentials(0, decoyHash))
                        .flatMap(found -> matches(password, found.hash()).map(ok -> ok && found.accountId() != 0 ? found.accountId() : 0L))
                        .flatMap(accountId -> accountId == 0
                                ? throttle.failed(subjects).then(Mono.error(ApiException.unauthorized("Email or password is wrong")))
                                : throttle.succeeded(subjects)
                                        .then(sessions.deleteExpired(accountId))
                                        .then(throttle.forgetQuiet())
                                        .then(sessions.create(accountId))
                                        .map(session -> new SignedIn(accountId, session)))));
    }

    private record Credentials(long accountId, String hash) {
    }

    private Mono<Credentials> credentials(String email) {
        return database.sql("select id, password_hash from accounts where lower(email) = lower(:email)")
                .bind("email", email)
                .map(row -> new Credentials(row.get("id", Long.class), row.get("password_hash", String.class)))
                .one();
    }

    /**
     * Changes the password after checking the current one (failures count against the login throttle),
     * and ends every other session of the account. API tokens stay valid: revoke them separately.
     */
    public Mono<Void> changePassword(Caller caller, String currentPassword, String newPassword, @Nullable InetSocketAddress client) {
        String email = caller.email();
        return policy.problem(newPassword, email, null)
                .flatMap(problem -> {
                    List<FieldViolation> errors = new ArrayList<>();
                    problem.ifPresent(text -> errors.add(new FieldViolation("newPassword", text)));
                    if (newPassword.equals(currentPassword)) {
                        errors.add(new FieldViolation("newPassword", "must differ from the current password"));
                    }
                    return errors.isEmpty() ? Mono.<Void>empty() : Mono.error(ApiException.invalid(errors));
                })
                .then(Mono.defer(() -> checkedPasswordChange(caller, email, currentPassword, newPassword, client)));
    }

    private Mono<Void> checkedPasswordChange(Caller caller, String email, String currentPassword, String newPassword,
            @Nullable InetSocketAddress client) {
        LoginThrottle.Subjects subjects = LoginThrottle.subjects(email, client);
        return throttle.lockedFor(subjects)
                .flatMap(locked -> Mono.<Void>error(ApiException.tooManyAttempts("Too many wrong passwords; try again later", locked)))
                .switchIfEmpty(Mono.defer(() -> credentials(email)
                        .filter(found -> found.accountId() == caller.accountId())
                        .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("This account no longer exists")))
                        .flatMap(found -> matches(currentPassword, found.hash()))
                        .flatMap(ok -> ok ? hash(newPassword)
                                : throttle.failed(subjects).then(Mono.error(ApiException.invalid("currentPassword", "is wrong"))))
                        .flatMap(hash -> transactions.transactional(database.sql(
                                                "update accounts set password_hash = :hash, updated_at = now() where id = :id")
                                        .bind("hash", hash)
                                        .bind("id", caller.accountId())
                                        .then()
                                        .then(sessions.deleteOthers(caller.accountId(), caller.isSession() ? caller.credentialId() : -1))))
                        .doOnNext(ended -> log.atInfo().addKeyValue("accountId", caller.accountId()).addKeyValue("endedSessions", ended)
                                .log("Password changed"))
                        .then()));
    }

    public Mono<AccountView> updateProfile(Caller caller, @Nullable String displayName) {
        if (displayName != null && displayName.isBlank()) {
            return Mono.error(ApiException.invalid("displayName", "must not be blank"));
        }
        var update = database.sql("update accounts set display_name = :name, updated_at = now() where id = :id").bind("id", caller.accountId());
        update = displayName == null ? update.bindNull("name", String.class) : update.bind("name", displayName.strip());
        return update.then().then(view(caller.accountId()));
    }

    public Mono<AccountView> view(long accountId) {
        return database.sql("select id, email, display_name, email_verified_at is not null as verified, operator, created_at "
                        + "from accounts where id = :id")
                .bind("id", accountId)
                .map(row -> new AccountView(row.get("id", Long.class), row.get("email", String.class),
                        row.get("display_name", String.class), Boolean.TRUE.equals(row.get("verified", Boolean.class)),
                        Boolean.TRUE.equals(row.get("operator", Boolean.class)), row.get("created_at", OffsetDateTime.class).toInstant(),
                        List.of()))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("This account no longer exists")))
                .flatMap(account -> tenants.listFor(accountId)
                        .collectList()
                        .map(list -> new AccountView(account.id(), account.email(), account.displayName(), account.emailVerified(),
                                account.operator(), account.createdAt(), list)));
    }

    private Mono<String> hash(String password) {
        return Mono.fromCallable(() -> passwords.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Boolean> matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordPolicy.MAX_BYTES) {
            // bcrypt refuses such input and no account can have it; still spend the time of a real check
            return Mono.fromCallable(() -> {
                passwords.matches(DECOY_PASSWORD, hash);
                return false;
            }).subscribeOn(Schedulers.boundedElastic());
        }
        return Mono.fromCallable(() -> passwords.matches(password, hash)).subscribeOn(Schedulers.boundedElastic());
    }
}
