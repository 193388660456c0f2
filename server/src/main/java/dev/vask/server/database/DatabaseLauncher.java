package dev.vask.server.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides where the tenant database is, before the application context starts:
 * <ul>
 *   <li>{@code vask.database-url} ({@code VASK_DATABASE_URL}) set: that PostgreSQL, and no embedded one;</li>
 *   <li>otherwise an embedded PostgreSQL whose data lives in {@code vask.data-dir}/postgres
 *       ({@code VASK_DATA_DIR}, default {@code ./.vask/data}), kept across restarts. Without
 *       {@code VASK_MASTER_KEY}, a master key is generated once into {@code vask.data-dir}/master.key,
 *       readable by its owner only.</li>
 * </ul>
 * Either way it sets {@code spring.r2dbc.*} (the application) and {@code spring.flyway.*} (migrations).
 * The embedded server stops when the context closes, after every bean that uses it.
 */
public class DatabaseLauncher implements SmartApplicationListener {

    private static final Logger log = LoggerFactory.getLogger(DatabaseLauncher.class);
    static final String PROPERTY_SOURCE = "vaskDatabase";

    private @Nullable EmbeddedPostgres embedded;

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
                || ApplicationPreparedEvent.class.isAssignableFrom(eventType)
                || ApplicationFailedEvent.class.isAssignableFrom(eventType);
    }

    /** After the config data (application.yml, environment) has been loaded. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        switch (event) {
            case ApplicationEnvironmentPreparedEvent prepared -> configure(prepared.getEnvironment());
            case ApplicationPreparedEvent prepared -> {
                if (embedded != null) {
                    // registered before any other bean, so destroyed after all of them
                    ((org.springframework.beans.factory.support.DefaultListableBeanFactory) prepared.getApplicationContext()
                            .getBeanFactory()).registerDisposableBean("vaskEmbeddedPostgres", this::stopEmbedded);
                }
            }
            case ApplicationFailedEvent failed -> stopEmbedded();
            default -> { }
        }
    }

    private void configure(ConfigurableEnvironment environment) {
        if (environment.getPropertySources().contains(PROPERTY_SOURCE)) {
            return;
        }
        if (environment.containsProperty("spring.r2dbc.url")) {
            return; // an explicit Spring configuration (tests, experts) wins over both defaults
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        String url = environment.getProperty("vask.database-url", "").trim();
        if (!url.isEmpty()) {
            DatabaseUrl database = DatabaseUrl.parse(url);
            properties.putAll(database.springProperties());
            log.atInfo().addKeyValue("database", database.describe()).log("Using the PostgreSQL at VASK_DATABASE_URL");
        }
        else {
            Path dataDir = Path.of(environment.getProperty("vask.data-dir", "./.vask/data")).toAbsolutePath().normalize();
            properties.putAll(startEmbedded(dataDir));
            if (environment.getProperty("vask.master-key", "").isBlank()) {
                properties.put("vask.master-key", masterKeyFile(dataDir.resolve("master.key")));
            }
        }
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
    }

    private Map<String, Object> startEmbedded(Path dataDir) {
        Path postgresDir = dataDir.resolve("postgres");
        try {
            Files.createDirectories(postgresDir);
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(postgresDir)
                    .setCleanDataDirectory(false)
                    // zonky's own JVM shutdown hook would stop PostgreSQL while Vask is still shutting down
                    // (final usage flush, open connections); the context stops it last instead
                    .setRegisterShutdownHook(false)
                    .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + postgresDir
                    + ": " + e.getMessage() + ". Set VASK_DATA_DIR to a writable directory, or VASK_DATABASE_URL to use your own PostgreSQL.", e);
        }
        int port = embedded.getPort();
        log.atInfo().addKeyValue("dataDir", postgresDir).addKeyValue("port", port)
                .log("Started the embedded PostgreSQL (set VASK_DATABASE_URL to use your own)");
        Map<String, Object> properties = new LinkedHashMap<>(new DatabaseUrl("127.0.0.1", port, "postgres", "postgres", "postgres", Map.of())
                .springProperties());
        properties.put("vask.database.embedded", "true");
        return properties;
    }

    private static String masterKeyFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String encoded = Base64.getEncoder().encodeToString(key);
            Path temporary = file.resolveSibling("master.key.tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, encoded + "\n");
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.atInfo().addKeyValue("file", file).log("Generated the master key that encrypts app secrets; back it up with the data directory");
            return encoded;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private synchronized void stopEmbedded() {
        if (embedded != null) {
            try {
                embedded.close();
            }
            catch (IOException e) {
                log.warn("The embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
            embedded = null;
        }
    }
}
