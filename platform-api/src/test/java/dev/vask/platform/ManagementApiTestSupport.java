package dev.vask.platform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vask.testing.database.TestDatabase;
import dev.vask.testing.mail.TestMailServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the management API's HTTP tests: one server on a random port over one database, shared by
 * every subclass (same configuration, so Spring's test context cache starts it once). Tests stay
 * independent by signing up their own accounts ({@link TestAccount}); each account signs in from its
 * own client address ({@code X-Forwarded-For}, honoured here as behind a proxy), so that login
 * throttling in one test never reaches another. Mail goes to the JVM's {@link TestMailServer}, where
 * tests read the links a person would follow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
public abstract class ManagementApiTestSupport {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Every context's database by name: subclasses with settings of their own get a server (and database) of their own. */
    private static final Map<String, TestDatabase> DATABASES = new ConcurrentHashMap<>();
    /** The database of the server the running test talks to. */
    protected static TestDatabase database;

    @DynamicPropertySource
    static void managementApiServer(DynamicPropertyRegistry registry) {
        TestDatabase created = PlatformTestDatabase.register(registry);
        DATABASES.put(created.name(), created);
        registry.add("vask.test.database-name", created::name);
        registry.add("server.forward-headers-strategy", () -> "framework");
        registry.add("spring.webflux.problemdetails.enabled", () -> "true");
        registry.add("vask.directory.heartbeat", () -> "1s");
        registry.add("vask.usage.flush-interval", () -> "300ms");
        TestMailServer.shared().registerSpringProperties(registry);
        // many tests sign up from the test's own address; the per-address limits have tests of their own
        registry.add("vask.accounts.signups-per-address", () -> "100000");
        registry.add("vask.accounts.resets-per-address", () -> "100000");
        registry.add("vask.accounts.mail-interval", () -> "0s");
    }

    protected static final TestMailServer mail = TestMailServer.shared();

    @Autowired
    protected WebTestClient client;

    @Autowired
    void useThisServersDatabase(Environment environment) {
        database = DATABASES.get(environment.getRequiredProperty("vask.test.database-name"));
    }

    /** Sign-up hashes with bcrypt and estimates the password's strength: allow for a machine busy with other builds. */
    @org.junit.jupiter.api.BeforeEach
    void patientClient() {
        client = client.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    /** A new account with a verified address (its own tenant, a session and a read/write API token). */
    protected TestAccount signUp() {
        return TestAccount.signUp(client, uniqueEmail(), randomAddress());
    }

    /** A new account whose address nobody verified (as anyone may sign up with anyone's address). */
    protected TestAccount signUpUnverified() {
        return TestAccount.signUpUnverified(client, uniqueEmail(), randomAddress());
    }

    /** The first-start admin (admin@vask.local), the first operator, signed in with a new token. */
    protected TestAccount firstStartAdmin() {
        return TestAccount.existing(client, "admin@vask.local", "admin-password-1", randomAddress());
    }

    protected static String uniqueEmail() {
        return "user" + SEQUENCE.incrementAndGet() + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "@example.com";
    }

    /** A client address no other test uses (from 10.0.0.0/8; it never leaves the request header). */
    protected static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }
}
