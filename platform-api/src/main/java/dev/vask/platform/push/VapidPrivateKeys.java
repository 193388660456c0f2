package dev.vask.platform.push;

import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;

import dev.vask.platform.secret.SecretCipher;

/**
 * How a VAPID private key is stored in {@code vapid_keys.private_key_ciphertext}, as key rotation ({@code vapid}
 * package, {@code VapidKeys.privateKeyContext}) writes it: the raw 32-byte big-endian scalar (left-padded), as
 * unpadded base64url text because {@link SecretCipher} seals text, encrypted under the master key with
 * {@code "vapid-private-key:" + app id} as associated data, so a ciphertext moved to another app does not decrypt.
 */
public final class VapidPrivateKeys {

    private VapidPrivateKeys() {
    }

    /** The associated data binding a sealed private key to its app; {@code VapidKeys} seals with it too. */
    public static String context(long appId) {
        return "vapid-private-key:" + appId;
    }

    public static byte[] encrypt(SecretCipher cipher, ECPrivateKey key, long appId) {
        byte[] scalar = P256.encodePrivate(key);
        try {
            return cipher.encrypt(P256.base64url(scalar), context(appId));
        }
        finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    public static ECPrivateKey decrypt(SecretCipher cipher, byte[] ciphertext, long appId) {
        byte[] scalar = P256.fromBase64url(cipher.decrypt(ciphertext, context(appId)));
        try {
            return P256.decodePrivate(scalar);
        }
        finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }
}
