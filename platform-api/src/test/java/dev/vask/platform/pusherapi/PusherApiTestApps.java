package dev.vask.platform.pusherapi;

import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vask.platform.key.KeyGenerator;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.testing.database.TestDatabase;

/** Apps for HTTP API tests, written the way an operator would, straight into the tenant tables. */
public final class PusherApiTestApps {

    private static final AtomicInteger NEXT = new AtomicInteger(5000);

    private PusherApiTestApps() {
    }

    public record TestApp(long id, String key, String secret) {
    }

    /** A new enabled app (of the first tenant) with one key; {@code settings} is SQL for the apps row, e.g. "client_events_enabled = true". */
    public static TestApp create(TestDatabase database, SecretCipher cipher, String settings) {
        int id = NEXT.incrementAndGet();
        String key = "key-" + id + "-" + KeyGenerator.newKey().substring(0, 6);
        String secret = KeyGenerator.newSecret();
        database.execute("insert into apps (id, tenant_id, name) select " + id + ", min(id), 'api test " + id + "' from tenants");
        if (!settings.isBlank()) {
            database.execute("update apps set " + settings + " where id = " + id);
        }
        addKey(database, cipher, id, key, secret);
        return new TestApp(id, key, secret);
    }

    public static void addKey(TestDatabase database, SecretCipher cipher, long appId, String key, String secret) {
        String ciphertext = HexFormat.of().formatHex(cipher.encrypt(secret, KeyGenerator.secretContext(key)));
        database.execute("insert into app_keys (app_id, key, secret_ciphertext) values (" + appId + ", '" + key + "', decode('" + ciphertext + "', 'hex'))");
    }
}
