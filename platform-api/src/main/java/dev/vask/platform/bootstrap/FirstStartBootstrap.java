package dev.vask.platform.bootstrap;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.vask.platform.key.KeyGenerator;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.realtime.app.AppId;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * On the first start (no app in the database yet) creates a tenant, an admin account that owns it,
 * and a demo app with one key, so that a new Vask can be connected to at once. The admin is the first
 * operator, and its address (chosen by whoever runs Vask) counts as verified, so that it can be used
 * at once without any mail.
 *
 * <p>Runs right after the migrations, on Flyway's JDBC connection (start-up only), inside one
 * transaction holding an advisory lock: two nodes starting together on an empty database create
 * one demo app, not two.
 */
class FirstStartBootstrap implements Callback {

    private static final Logger log = LoggerFactory.getLogger(FirstStartBootstrap.class);
    private static final long ADVISORY_LOCK = 0x7661736b_00000001L; // "vask" + 1
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BootstrapProperties properties;
    private final SecretCipher cipher;
    private final PasswordEncoder passwords;
    private final AtomicReference<@Nullable FirstStart> outcome = new AtomicReference<>();

    FirstStartBootstrap(BootstrapProperties properties, SecretCipher cipher, PasswordEncoder passwords) {
        this.properties = properties;
        this.cipher = cipher;
        this.passwords = passwords;
        validate();
    }

    /** What this start found or created; empty until the migrations have run. */
    Optional<FirstStart> outcome() {
        return Optional.ofNullable(outcome.get());
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public String getCallbackName() {
        return "vask-2-first-start"; // after vask-1-master-key-verification
    }

    @Override
    public void handle(Event event, Context context) {
        Connection connection = context.getConnection();
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                outcome.set(run(connection));
                connection.commit();
            }
            catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            finally {
                connection.setAutoCommit(autoCommit);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("First-start set-up failed: " + e.getMessage(), e);
        }
    }

    private FirstStart run(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, ADVISORY_LOCK);
            lock.execute();
        }
        try (PreparedStatement select = connection.prepareStatement("""
                select a.id, (select k.key from app_keys k where k.app_id = a.id and k.revoked_at is null order by k.id limit 1)
                from apps a order by a.id limit 1""");
                ResultSet rows = select.executeQuery()) {
            if (rows.next()) {
                return new FirstStart(false, rows.getLong(1), rows.getString(2), null, null, null);
            }
        }
        return create(connection);
    }

    private FirstStart create(Connection connection) throws SQLException {
        String givenPassword = BootstrapProperties.given(properties.adminPassword());
        String adminPassword = givenPassword != null ? givenPassword : generatePassword();
        String givenKey = BootstrapProperties.given(properties.appKey());
        String key = givenKey != null ? givenKey : KeyGenerator.newKey();
        String givenSecret = BootstrapProperties.given(properties.appSecret());
        String secret = givenSecret != null ? givenSecret : KeyGenerator.newSecret();
        String email = properties.adminEmail().trim();

        long tenantId = insertReturningId(connection, "insert into tenants (name) values ('Default') returning id");
        long accountId;
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into accounts (email, password_hash, display_name, email_verified_at, operator) "
                        + "values (?, ?, 'Admin', now(), true) returning id")) {
            insert.setString(1, email);
            insert.setString(2, passwords.encode(adminPassword));
            accountId = single(insert);
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into tenant_members (tenant_id, account_id, role) values (?, ?, 'owner')")) {
            insert.setLong(1, tenantId);
            insert.setLong(2, accountId);
            insert.executeUpdate();
        }
        try (PreparedStatement update = connection.prepareStatement("update tenants set created_by = ? where id = ?")) {
            update.setLong(1, accountId);
            update.setLong(2, tenantId);
            update.executeUpdate();
        }
        long appId = insertApp(connection, tenantId);
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into app_keys (app_id, key, secret_ciphertext, label) values (?, ?, ?, 'Created on first start')")) {
            insert.setLong(1, appId);
            insert.setString(2, key);
            insert.setBytes(3, cipher.encrypt(secret, KeyGenerator.secretContext(key)));
            insert.executeUpdate();
        }
        log.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("appId", appId)
                .log("First start: created the default tenant, the admin account and the demo app");
        return new FirstStart(true, appId, key, givenSecret == null ? secret : null, email,
                givenPassword == null ? adminPassword : null);
    }

    private long insertApp(Connection connection, long tenantId) throws SQLException {
        String givenId = BootstrapProperties.given(properties.appId());
        if (givenId == null) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into apps (tenant_id, name) values (?, 'Demo app') returning id")) {
                insert.setLong(1, tenantId);
                return single(insert);
            }
        }
        long id = AppId.parse(givenId).orElseThrow().value();
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into apps (id, tenant_id, name) values (?, ?, 'Demo app') returning id")) {
            insert.setLong(1, id);
            insert.setLong(2, tenantId);
            single(insert);
        }
        // keep the sequence ahead of a hand-picked id, so later apps never collide with it
        try (PreparedStatement advance = connection.prepareStatement(
                "select setval('app_id_seq', greatest(?, (select last_value from app_id_seq)))")) {
            advance.setLong(1, id);
            advance.execute();
        }
        return id;
    }

    private static long insertReturningId(Connection connection, String sql) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            return single(insert);
        }
    }

    private static long single(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String generatePassword() {
        StringBuilder password = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    private void validate() {
        String id = BootstrapProperties.given(properties.appId());
        if (id != null && AppId.parse(id).isEmpty()) {
            throw new BootstrapException("VASK_BOOTSTRAP_APP_ID '" + id + "' is not a positive number.",
                    "Set VASK_BOOTSTRAP_APP_ID to a positive integer (app ids are numeric, as the Pusher SDKs expect), or leave it unset.");
        }
        String key = BootstrapProperties.given(properties.appKey());
        if (key != null && !KeyGenerator.isValidKey(key)) {
            throw new BootstrapException("VASK_BOOTSTRAP_APP_KEY '" + key + "' is not a valid app key.",
                    "Use 3 to 64 characters from A-Z, a-z, 0-9, '_' and '-', not only digits, or leave it unset.");
        }
        String secret = BootstrapProperties.given(properties.appSecret());
        if (secret != null && secret.length() < KeyGenerator.MIN_SECRET_LENGTH) {
            throw new BootstrapException("VASK_BOOTSTRAP_APP_SECRET is shorter than " + KeyGenerator.MIN_SECRET_LENGTH + " characters.",
                    "Use a longer secret (for example 'openssl rand -hex 16'), or leave it unset to have one generated.");
        }
        String email = properties.adminEmail().trim();
        if (!email.matches("^[^@\\s]+@[^@\\s]+$") || email.length() > 254) {
            throw new BootstrapException("VASK_ADMIN_EMAIL '" + email + "' is not an email address.",
                    "Set VASK_ADMIN_EMAIL to an address such as admin@example.com, or leave it unset.");
        }
        String password = BootstrapProperties.given(properties.adminPassword());
        if (password != null && (password.length() < 8 || password.length() > 72)) {
            throw new BootstrapException("VASK_ADMIN_PASSWORD must be 8 to 72 characters long.",
                    "Choose a password of 8 to 72 characters, or leave VASK_ADMIN_PASSWORD unset to have one generated.");
        }
    }
}
