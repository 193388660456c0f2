package dev.vask.platform.push;

import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;

import dev.vask.platform.secret.SecretCipher;

/**
 * How a VAPID private key is stored in {@code vapid_keys.private_key_ciphertext}: the raw 32-byte big-endian
 * scalar (left-padded), as unpadded base64url text because {@link SecretCipher} seals text, encrypted under the
 * master key with the public key as associated data ({@code "vapid-private-key:" + public key}, like
 * {@code "app-key-secret:" + key} for app secrets), so a ciphertext moved to another row does not decrypt.
 * Whoever writes a key pair (rotation) and whoever signs with it use this one class.
 */
public final class VapidPrivateKeys {

    private VapidPrivateKeys() {
    }

    public static String context(String publicKeyText) {
        return "vapid-private-key:" + publicKeyText;
    }

    public static byte[] encrypt(SecretCipher cipher, ECPrivateKey key, String publicKeyText) {
        byte[] scalar = P256.encodePrivate(key);
        try {
            return cipher.encrypt(P256.base64url(scalar), context(publicKeyText));
        }
        finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    public static ECPrivateKey decrypt(SecretCipher cipher, byte[] ciphertext, String publicKeyText) {
        byte[] scalar = P256.fromBase64url(cipher.decrypt(ciphertext, context(publicKeyText)));
        try {
            return P256.decodePrivate(scalar);
        }
        finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }
}
