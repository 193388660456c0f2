package dev.vask.dashboard;

import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.mail.TestMailServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A fresh database per Spring context, with the first-start settings the dashboard tests sign in with. */
public final class DashboardTestDatabase {

    /** A fixed test master key (32 bytes of 0x01..0x20), never used outside tests. */
    public static final String MASTER_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    public static final String ADMIN_EMAIL = "admin@vask.local";
    public static final String ADMIN_PASSWORD = "admin-password-1";
    public static final String DEMO_APP_ID = "4242";
    public static final String DEMO_APP_KEY = "demo-app-key";

    private DashboardTestDatabase() {
    }

    /** Creates a database and registers spring.r2dbc/flyway, the master key and the first start's admin and demo app. */
    public static TestDatabase register(DynamicPropertyRegistry registry) {
        TestDatabase database = TestDatabase.create();
        database.registerSpringProperties(registry);
        registry.add("vask.master-key", () -> MASTER_KEY);
        registry.add("vask.bootstrap.app-id", () -> DEMO_APP_ID);
        registry.add("vask.bootstrap.app-key", () -> DEMO_APP_KEY);
        registry.add("vask.bootstrap.app-secret", () -> "demo-app-secret-0123456789");
        registry.add("vask.bootstrap.admin-password", () -> ADMIN_PASSWORD);
        registry.add("spring.webflux.problemdetails.enabled", () -> "true");
        // mail goes to a real SMTP server the tests read; the browser signs up from 127.0.0.1 several times
        TestMailServer.shared().registerSpringProperties(registry);
        registry.add("vask.accounts.signups-per-address", () -> "1000");
        registry.add("vask.accounts.mail-interval", () -> "0s");
        return database;
    }
}
