package dev.vask.platform.secret;

import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 32-byte AES key that encrypts app secrets and VAPID private keys at rest, given as base64
 * in {@code VASK_MASTER_KEY} (or generated into the data directory in the embedded default).
 */
public final class MasterKey {

    public static final int LENGTH = 32;

    private final SecretKey key;

    private MasterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /**
     * @throws MasterKeyException when the text is empty, not base64, or not 32 bytes long
     */
    public static MasterKey fromBase64(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw MasterKeyException.missing();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        }
        catch (IllegalArgumentException e) {
            throw MasterKeyException.malformed("it is not valid base64");
        }
        if (bytes.length != LENGTH) {
            throw MasterKeyException.malformed("it decodes to " + bytes.length + " bytes, not " + LENGTH);
        }
        MasterKey masterKey = new MasterKey(bytes);
        Arrays.fill(bytes, (byte) 0);
        return masterKey;
    }

    SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "MasterKey[****]";
    }
}
