package dev.vask.platform.secret;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after the migrations, proves that the configured master key is the one this database was
 * first started with: the first start stores an encrypted check value, every later start decrypts it.
 * Runs on Flyway's JDBC connection, at start-up only.
 */
class MasterKeyVerification implements Callback {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyVerification.class);
    private static final String CHECK_PLAINTEXT = "vask-master-key-check";
    private static final String CHECK_CONTEXT = "vask-instance:master-key-check";

    private final SecretCipher cipher;

    MasterKeyVerification(SecretCipher cipher) {
        this.cipher = cipher;
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
    public void handle(Event event, Context context) {
        try {
            verify(context.getConnection());
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not verify the master key: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "vask-1-master-key-verification"; // Flyway runs callbacks in name order
    }

    private void verify(Connection connection) throws SQLException {
        // insert-if-absent first, so two nodes starting at once agree on one check value
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into vask_instance (master_key_check) values (?) on conflict (singleton) do nothing")) {
            insert.setBytes(1, cipher.encrypt(CHECK_PLAINTEXT, CHECK_CONTEXT));
            if (insert.executeUpdate() == 1) {
                log.info("Master key registered for this database");
            }
        }
        try (PreparedStatement select = connection.prepareStatement("select master_key_check from vask_instance");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            try {
                if (!CHECK_PLAINTEXT.equals(cipher.decrypt(rows.getBytes(1), CHECK_CONTEXT))) {
                    throw MasterKeyException.mismatch();
                }
            }
            catch (SecretDecryptionException e) {
                throw MasterKeyException.mismatch();
            }
        }
    }
}
