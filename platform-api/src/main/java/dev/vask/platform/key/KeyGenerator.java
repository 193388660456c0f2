package dev.vask.platform.key;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Generates app keys and secrets in Pusher's style: lowercase hex, the key 20 characters
 * (80 random bits, public), the secret 32 characters (128 random bits).
 */
public final class KeyGenerator {

    /** The longest key the database accepts (see V1 app_keys_key_format). */
    static final int MAX_KEY_LENGTH = 64;
    /** A secret set by an operator (VASK_BOOTSTRAP_APP_SECRET) must be at least this long. */
    public static final int MIN_SECRET_LENGTH = 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyGenerator() {
    }

    public static String newKey() {
        String key;
        do {
            key = randomHex(10);
        }
        while (!isValidKey(key)); // all-digit hex is possible, if unlikely
        return key;
    }

    /**
     * Whether the database accepts {@code key} as a key (V1 app_keys_key_format: {@code ^(?![0-9]+$)[A-Za-z0-9_-]{3,64}$}):
     * 3 to 64 of A-Z, a-z, 0-9, '_' and '-', never all digits. Checked on every API request's {@code auth_key}, so
     * without a regex.
     */
    public static boolean isValidKey(String key) {
        int length = key.length();
        if (length < 3 || length > MAX_KEY_LENGTH) {
            return false;
        }
        boolean allDigits = true;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (!digit && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '_' && c != '-') {
                return false;
            }
            allDigits &= digit;
        }
        return !allDigits;
    }

    public static String newSecret() {
        return randomHex(16);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** The associated data that binds an encrypted secret to its key (see SecretCipher). */
    public static String secretContext(String key) {
        return "app-key-secret:" + key;
    }
}
