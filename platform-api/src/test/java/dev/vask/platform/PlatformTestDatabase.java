package dev.vask.platform;

import dev.vask.testing.database.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A fresh database per test class plus the settings every platform test needs. */
public final class PlatformTestDatabase {

    /** A fixed test master key (32 bytes of 0x01..0x20), never used outside tests. */
    public static final String MASTER_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    public static final String APP_ID = "4242";
    public static final String APP_KEY = "test-app-key";
    public static final String APP_SECRET = "test-app-secret-0123456789";

    private PlatformTestDatabase() {
    }

    /** Creates a database, registers spring.r2dbc/flyway properties, the master key and demo app credentials. */
    public static TestDatabase register(DynamicPropertyRegistry registry) {
        TestDatabase database = TestDatabase.create();
        database.registerSpringProperties(registry);
        registry.add("vask.master-key", () -> MASTER_KEY);
        registry.add("vask.bootstrap.app-id", () -> APP_ID);
        registry.add("vask.bootstrap.app-key", () -> APP_KEY);
        registry.add("vask.bootstrap.app-secret", () -> APP_SECRET);
        registry.add("vask.bootstrap.admin-password", () -> "admin-password-1");
        return database;
    }
}
