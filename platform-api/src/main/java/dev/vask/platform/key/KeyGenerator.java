package dev.vask.platform.key;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Generates app keys and secrets in Pusher's style: lowercase hex, the key 20 characters
 * (80 random bits, public), the secret 32 characters (128 random bits).
 */
public final class KeyGenerator {

    /** What the database accepts as a key (see V1 app_keys_key_format): never all digits. */
    public static final Pattern KEY_FORMAT = Pattern.compile("^(?![0-9]+$)[A-Za-z0-9_-]{3,64}$");
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
        while (!KEY_FORMAT.matcher(key).matches()); // all-digit hex is possible, if unlikely
        return key;
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
