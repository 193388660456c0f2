package dev.vask.testing.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A PostgreSQL database of its own for one test class (or one Spring context), created on the
 * JVM-wide {@link TestDatabaseServer}. Every module's tests get their database here, so they all
 * run against the same kind of real Postgres and no test ever skips for want of one.
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void database(DynamicPropertyRegistry registry) {
 *     TestDatabase.create().registerSpringProperties(registry);
 * }
 * }</pre>
 */
public record TestDatabase(String host, int port, String name, String user, String password) {

    /** Creates a new, empty database on the shared server. Dropped when the JVM exits. */
    public static TestDatabase create() {
        return TestDatabaseServer.shared().createDatabase("vask_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /** The form operators give Vask in {@code VASK_DATABASE_URL}. */
    public String url() {
        return "postgres://" + user + ":" + password + "@" + host + ":" + port + "/" + name;
    }

    /** spring.r2dbc.* for the application and spring.flyway.* for migrations at start-up. */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", r2dbcUrl());
        properties.put("spring.r2dbc.username", user);
        properties.put("spring.r2dbc.password", password);
        properties.put("spring.flyway.url", jdbcUrl());
        properties.put("spring.flyway.user", user);
        properties.put("spring.flyway.password", password);
        return properties;
    }

    public void registerSpringProperties(DynamicPropertyRegistry registry) {
        springProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** A plain JDBC connection, for tests that inspect tables the way an operator would. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** Runs SQL statements over JDBC (test set-up and inspection only). */
    public void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + name + ": " + e.getMessage(), e);
        }
    }
}
