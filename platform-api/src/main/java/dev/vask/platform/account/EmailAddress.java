package dev.vask.platform.account;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Email addresses as accounts use them: trimmed, at most 254 characters, one {@code @} with a dotted
 * domain, no spaces or control characters. Stored as given; compared case-insensitively (the
 * database's unique index is on {@code lower(email)}).
 */
public final class EmailAddress {

    public static final int MAX_LENGTH = 254;
    private static final Pattern FORMAT = Pattern.compile("^[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+$");

    private EmailAddress() {
    }

    public static String normalize(String email) {
        return email.strip();
    }

    /** What is wrong with this address, or empty when it is usable. */
    public static Optional<String> problem(String email) {
        String address = normalize(email);
        if (address.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (address.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (!FORMAT.matcher(address).matches()) {
            return Optional.of("must be an email address such as ada@example.com");
        }
        return Optional.empty();
    }
}
