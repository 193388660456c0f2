package dev.vask.platform.push;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;

import dev.vask.platform.secret.SecretCipher;
import dev.vask.testing.database.TestDatabase;

/**
 * VAPID key pairs written straight into {@code vapid_keys} the way key rotation writes them ({@link VapidPrivateKeys}),
 * for tests of delivery; rotation itself is simulated in one transaction: the old row deleted, a new one inserted.
 */
final class PushTestKeys {

    private PushTestKeys() {
    }

    /** A key pair stored for the app; {@code publicKey} is what browsers subscribe with. */
    record StoredKey(byte[] publicKey, String publicKeyText) {
    }

    static StoredKey insert(TestDatabase database, SecretCipher cipher, long appId) {
        StoredKey key = newKey(cipher, appId);
        database.execute(insertSql(appId, key, cipher));
        return key;
    }

    /** Destroys the app's key (and, by cascade, its subscriptions) and makes a new one current, atomically. */
    static StoredKey rotate(TestDatabase database, SecretCipher cipher, long appId) {
        StoredKey key = newKey(cipher, appId);
        database.execute("begin; delete from vapid_keys where app_id = " + appId + "; " + insertSql(appId, key, cipher) + "; commit");
        return key;
    }

    private static StoredKey newKey(SecretCipher cipher, long appId) {
        KeyPair pair = P256.generate();
        byte[] publicKey = P256.encodePublic((ECPublicKey) pair.getPublic());
        String text = P256.base64url(publicKey);
        pending.set(VapidPrivateKeys.encrypt(cipher, (ECPrivateKey) pair.getPrivate(), appId));
        return new StoredKey(publicKey, text);
    }

    private static final ThreadLocal<byte[]> pending = new ThreadLocal<>();

    private static String insertSql(long appId, StoredKey key, SecretCipher cipher) {
        return "insert into vapid_keys (app_id, public_key, private_key_ciphertext) values (" + appId + ", '" + key.publicKeyText()
                + "', decode('" + HexFormat.of().formatHex(pending.get()) + "', 'hex'))";
    }
}
