package dev.vask.platform.directory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.key.KeyGenerator;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.realtime.app.AppChange;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.AppLimits;
import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class PostgresAppDirectoryTests {

    private static final AppId APP = new AppId(Long.parseLong(PlatformTestDatabase.APP_ID));
    static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
        registry.add("vask.directory.heartbeat", () -> "500ms");
    }

    @Autowired
    AppDirectory directory;

    @Autowired
    SecretCipher cipher;

    private final List<AppChange> seen = new CopyOnWriteArrayList<>();
    private Disposable watching;

    @BeforeEach
    void watchChanges() {
        watching = directory.changes().subscribe(seen::add);
        database.execute("update apps set enabled = true, max_message_bytes = 10240 where id = " + APP,
                "delete from app_keys where key <> '" + PlatformTestDatabase.APP_KEY + "'");
        await().atMost(Duration.ofSeconds(2)).until(() -> found(PlatformTestDatabase.APP_KEY) != null
                && found(PlatformTestDatabase.APP_KEY).enabled() && found(PlatformTestDatabase.APP_KEY).credentials().size() == 1);
        seen.clear();
    }

    @AfterEach
    void stopWatching() {
        watching.dispose();
    }

    @Test
    void findsAnAppByKeyAndByIdWithItsDecryptedSecretAndDefaults() {
        AppConfig app = found(PlatformTestDatabase.APP_KEY);
        assertThat(app.id()).isEqualTo(APP);
        assertThat(app.name()).isEqualTo("Demo app");
        assertThat(app.enabled()).isTrue();
        assertThat(app.credentials()).containsExactly(new AppCredential(PlatformTestDatabase.APP_KEY, PlatformTestDatabase.APP_SECRET));
        // the app's own defaults, where it has no limit of its own bounded by the default plan (1000 sockets, 1000000 a day)
        assertThat(app.limits()).isEqualTo(new AppLimits(1000, AppLimits.DEFAULT_MAX_MESSAGE_BYTES, AppLimits.DEFAULT_CLIENT_EVENTS_PER_SECOND,
                AppLimits.DEFAULT_MAX_PRESENCE_MEMBERS, 1_000_000L));
        assertThat(directory.findById(APP).block(Duration.ofSeconds(5))).isEqualTo(app);
    }

    @Test
    void unknownOrMalformedKeysFindNothing() {
        assertThat(found("no-such-key")).isNull();
        assertThat(found("../../etc")).isNull();
        assertThat(found("")).isNull();
        assertThat(directory.findById(new AppId(987654)).block(Duration.ofSeconds(5))).isNull();
    }

    @Test
    void appDisabledInSqlIsSeenWithinTwoSeconds() {
        assertThat(found(PlatformTestDatabase.APP_KEY).enabled()).isTrue(); // cached now
        long start = System.nanoTime();
        database.execute("update apps set enabled = false where id = " + APP);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> !found(PlatformTestDatabase.APP_KEY).enabled());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(seen).contains(AppChange.of(APP));
    }

    @Test
    void revokedKeyIsUnknownWithinTwoSecondsAndANewKeyIsFoundAtOnce() {
        String newKey = KeyGenerator.newKey();
        byte[] secret = cipher.encrypt("second-secret", KeyGenerator.secretContext(newKey));
        assertThat(found(newKey)).isNull(); // cached as unknown
        database.execute("insert into app_keys (app_id, key, secret_ciphertext) values (" + APP + ", '" + newKey + "', decode('"
                + java.util.HexFormat.of().formatHex(secret) + "', 'hex'))");
        await().atMost(Duration.ofSeconds(2)).until(() -> found(newKey) != null);
        assertThat(found(newKey).credentials()).hasSize(2);

        // revoke the new key (the demo key stays active for the other tests: a revoked key stays revoked, V2)
        database.execute("update app_keys set revoked_at = now() where key = '" + newKey + "'");
        await().atMost(Duration.ofSeconds(2)).until(() -> found(newKey) == null);
        assertThat(found(PlatformTestDatabase.APP_KEY).hasActiveKey(newKey)).isFalse();
    }

    @Test
    void changedLimitIsSeenWithinTwoSeconds() {
        database.execute("update apps set max_message_bytes = 2048 where id = " + APP);
        await().atMost(Duration.ofSeconds(2)).until(() -> found(PlatformTestDatabase.APP_KEY).limits().maxMessageBytes() == 2048);
    }

    @Test
    void lostListenConnectionReconnectsAndReportsThatAnythingMayHaveChanged() {
        database.execute("select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen vask_app_changes%' or "
                + "(datname = current_database() and pid <> pg_backend_pid() and query = 'select 1')");
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(AppChange.unknown()));
        database.execute("update apps set enabled = false where id = " + APP);
        await().atMost(Duration.ofSeconds(2)).until(() -> !found(PlatformTestDatabase.APP_KEY).enabled());
    }

    private AppConfig found(String key) {
        return directory.findByKey(key).block(Duration.ofSeconds(5));
    }
}
