package dev.vask.platform.account;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be: 10 characters or more, at most 72 bytes in UTF-8 (bcrypt ignores
 * anything after byte 72, so a longer password would only look stronger), at least 5 different
 * characters, and not a well-known password or the email itself.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_BYTES = 72;
    private static final int MIN_DISTINCT = 5;
    private static final Set<String> COMMON = Set.of("password", "password1", "password12", "password123", "passw0rd",
            "1234567890", "0123456789", "12345678910", "qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t",
            "iloveyou12", "letmein123", "welcome123", "administrator", "changeme123", "abcdefghij", "abc1234567",
            "trustno1234", "football123", "baseball123", "sunshine123", "superman123", "princess123", "dragon1234",
            "monkey1234", "master1234", "starwars123", "whatever123", "0987654321", "1111111111", "asdfghjkl1", "zxcvbnm123");

    private PasswordPolicy() {
    }

    /** What is wrong with this new password, or empty when it is acceptable. */
    public static Optional<String> problem(String password, String email) {
        if (password.length() < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("must be at most " + MAX_BYTES + " bytes (UTF-8)");
        }
        if (password.chars().distinct().count() < MIN_DISTINCT) {
            return Optional.of("must contain at least " + MIN_DISTINCT + " different characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String address = EmailAddress.normalize(email).toLowerCase(Locale.ROOT);
        int at = address.indexOf('@');
        String local = at > 0 ? address.substring(0, at) : address;
        if (COMMON.contains(lower) || lower.equals(address) || (local.length() >= 4 && lower.contains(local))) {
            return Optional.of("is too easy to guess");
        }
        return Optional.empty();
    }
}
