package dev.vask.platform.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import dev.vask.testing.database.TestDatabase;
import io.r2dbc.spi.ConnectionFactories;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The migrations in vask-db on a real PostgreSQL, and what the database itself enforces. */
class MigrationTests {

    private final TestDatabase database = TestDatabase.create();

    @Test
    void cleanDatabaseMigratesToTheLatestShippedVersionAndASecondRunAppliesNothing() throws Exception {
        MigrateResult first = flyway().migrate();
        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted).isEqualTo(SchemaHealthIndicator.latestShippedVersion());
        assertThat(first.targetSchemaVersion).isEqualTo(Integer.toString(SchemaHealthIndicator.latestShippedVersion()));
        assertThat(tables()).contains("accounts", "tenants", "tenant_members", "apps", "app_keys", "vapid_keys", "vask_instance");

        MigrateResult second = flyway().migrate();
        assertThat(second.migrationsExecuted).isZero();
    }

    @Test
    void schemaHealthIsDownBeforeTheMigrationsAndUpAfter() {
        SchemaHealthIndicator health = new SchemaHealthIndicator(
                DatabaseClient.create(ConnectionFactories.get(database.r2dbcUrl().replace("r2dbc:postgresql://",
                        "r2dbc:postgresql://" + database.user() + ":" + database.password() + "@"))),
                SchemaHealthIndicator.latestShippedVersion());
        StepVerifier.create(health.health()).assertNext(h -> assertThat(h.getStatus()).isEqualTo(Status.DOWN)).verifyComplete();
        flyway().migrate();
        StepVerifier.create(health.health()).assertNext(h -> assertThat(h.getStatus()).isEqualTo(Status.UP)).verifyComplete();
    }

    @Test
    void emailIsUniqueWhateverItsCase() {
        flyway().migrate();
        database.execute("insert into accounts (email, password_hash) values ('Ada@Example.com', 'x')");
        assertThatThrownBy(() -> database.execute("insert into accounts (email, password_hash) values ('ada@example.COM', 'x')"))
                .hasMessageContaining("accounts_email_unique");
        assertThatThrownBy(() -> database.execute("insert into accounts (email, password_hash) values ('not-an-email', 'x')"))
                .hasMessageContaining("accounts_email_format");
    }

    @Test
    void appsKeysAndVapidKeysAreConstrainedByTheDatabase() {
        flyway().migrate();
        database.execute("insert into tenants (name) values ('t')",
                "insert into apps (id, tenant_id, name) select 1, id, 'a' from tenants");
        assertThatThrownBy(() -> database.execute("insert into apps (tenant_id, name, max_message_bytes) select id, 'b', 0 from tenants"))
                .hasMessageContaining("apps_max_message_bytes");
        assertThatThrownBy(() -> database.execute("insert into apps (tenant_id, name) values (999, 'orphan')"))
                .hasMessageContaining("apps_tenant_id_fkey");
        assertThatThrownBy(() -> database.execute("insert into apps (tenant_id, name) select id, '  ' from tenants"))
                .hasMessageContaining("apps_name_length");
        String cipher = "decode(repeat('00', 40), 'hex')";
        database.execute("insert into app_keys (app_id, key, secret_ciphertext) values (1, 'abc-key', " + cipher + ")");
        assertThatThrownBy(() -> database.execute("insert into app_keys (app_id, key, secret_ciphertext) values (1, 'abc-key', " + cipher + ")"))
                .hasMessageContaining("app_keys_key_unique");
        assertThatThrownBy(() -> database.execute("insert into app_keys (app_id, key, secret_ciphertext) values (1, '12345', " + cipher + ")"))
                .hasMessageContaining("app_keys_key_format");
        String publicKey = "'B" + "A".repeat(86) + "'";
        database.execute("insert into vapid_keys (app_id, public_key, private_key_ciphertext) values (1, " + publicKey + ", " + cipher + ")");
        assertThatThrownBy(() -> database.execute(
                "insert into vapid_keys (app_id, public_key, private_key_ciphertext) values (1, " + publicKey + ", " + cipher + ")"))
                .hasMessageContaining("vapid_keys_one_per_app");
        // deleting the tenant removes its apps, keys and VAPID keys: no orphan secrets stay behind
        database.execute("delete from tenants");
        assertThat(count("select count(*) from app_keys") + count("select count(*) from vapid_keys")).isZero();
    }

    @Test
    void changesToAppsAndKeysAreAnnouncedWithTheAppId() throws Exception {
        flyway().migrate();
        database.execute("insert into tenants (name) values ('t')", "insert into apps (id, tenant_id, name) select 5, id, 'a' from tenants");
        try (Connection listener = database.connect(); Statement statement = listener.createStatement()) {
            statement.execute("listen vask_app_changes");
            database.execute("update apps set enabled = false where id = 5");
            statement.execute("select 1");
            org.postgresql.PGNotification[] notifications = listener.unwrap(org.postgresql.PGConnection.class).getNotifications(2000);
            assertThat(notifications).extracting(org.postgresql.PGNotification::getParameter).containsExactly("5");
        }
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations("classpath:db/migration").load();
    }

    private java.util.List<String> tables() throws Exception {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select table_name from information_schema.tables where table_schema = 'public'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private int count(String sql) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
