package dev.vask.platform.push;

import java.security.interfaces.ECPrivateKey;

/**
 * An app's current VAPID key pair, decrypted for signing. Held only in memory, never logged.
 *
 * @param id the {@code vapid_keys} row; a rotation makes a new id
 * @param publicKey the 65-byte uncompressed point
 * @param privateKey the signing key
 */
public record VapidKey(long id, byte[] publicKey, ECPrivateKey privateKey) {

    /** The public key as Vask emits it: base64url without padding (87 characters). */
    public String publicKeyText() {
        return P256.base64url(publicKey);
    }

    @Override
    public String toString() {
        return "VapidKey[id=" + id + ", publicKey=" + publicKeyText() + "]";
    }
}
