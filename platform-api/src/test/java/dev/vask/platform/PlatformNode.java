package dev.vask.platform;

import java.util.HashMap;
import java.util.Map;

import dev.vask.testing.database.TestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One whole Vask node of its own (a Spring context on a free port), for the tests that need several nodes on one
 * database: the bootstrap app and admin of {@link PlatformTestDatabase}, plus the node's own settings.
 */
public final class PlatformNode {

    private PlatformNode() {
    }

    /** Starts a node on {@code database}; {@code settings} come last and win over everything else. */
    public static ConfigurableApplicationContext start(TestDatabase database, Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("server.port", "0");
        properties.put("vask.master-key", PlatformTestDatabase.MASTER_KEY);
        properties.put("vask.bootstrap.app-id", PlatformTestDatabase.APP_ID);
        properties.put("vask.bootstrap.app-key", PlatformTestDatabase.APP_KEY);
        properties.put("vask.bootstrap.app-secret", PlatformTestDatabase.APP_SECRET);
        properties.put("vask.bootstrap.admin-password", "admin-password-1");
        properties.putAll(settings);
        // as arguments: the test resources' own settings would win over default properties
        String[] arguments = properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(PlatformTestApplication.class).run(arguments);
    }

    /** The port the node listens on. */
    public static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getRequiredProperty("local.server.port"));
    }
}
