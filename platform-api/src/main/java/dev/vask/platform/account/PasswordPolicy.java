package dev.vask.platform.account;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What a new password must be: 10 characters or more, at most 72 bytes in UTF-8 (bcrypt ignores
 * anything after byte 72, so a longer password would only look stronger), and hard to guess as
 * zxcvbn estimates it: a score of at least {@value #MIN_SCORE} of 4, which means more than about
 * 10^8 guesses. zxcvbn knows the 30,000 most common passwords of public breaches, common words,
 * names, keyboard patterns, dates, repeats and l33t substitutions, and is told the account's own
 * address and name; a password that contains the address's name part ("ada.lovelace1815" for
 * ada.lovelace@example.com) is refused outright.
 *
 * <p>The estimator loads its dictionaries on first use and spends up to tens of milliseconds on a
 * long password, so {@link #problem} runs on {@code boundedElastic}, never on an event loop.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_BYTES = 72;
    static final int MIN_SCORE = 3;

    private final Zxcvbn zxcvbn = new Zxcvbn();

    /** What is wrong with this new password for this account, or empty when it is acceptable. */
    public Mono<Optional<String>> problem(String password, String email, @Nullable String displayName) {
        return Mono.fromCallable(() -> check(password, email, displayName)).subscribeOn(Schedulers.boundedElastic());
    }

    Optional<String> check(String password, String email, @Nullable String displayName) {
        if (password.length() < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("must be at most " + MAX_BYTES + " bytes (UTF-8)");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String address = EmailAddress.normalize(email).toLowerCase(Locale.ROOT);
        int at = address.indexOf('@');
        String local = at > 0 ? address.substring(0, at) : address;
        if (lower.contains(address) || (local.length() >= 4 && lower.contains(local))) {
            return Optional.of("is too easy to guess: it contains your email address");
        }
        Strength strength = zxcvbn.measure(password, userInputs(email, displayName));
        if (strength.getScore() >= MIN_SCORE) {
            return Optional.empty();
        }
        String warning = strength.getFeedback().getWarning(Locale.ENGLISH);
        String reason = warning == null || warning.isBlank() ? "" : ": " + lowerFirst(warning.strip().replaceAll("\\.$", ""));
        return Optional.of("is too easy to guess" + reason + "; a few unrelated words make a strong password");
    }

    /** Words an attacker who targets this account would try first. */
    private static List<String> userInputs(String email, @Nullable String displayName) {
        List<String> inputs = new ArrayList<>();
        String address = EmailAddress.normalize(email).toLowerCase(Locale.ROOT);
        inputs.add(address);
        for (String part : address.split("[@._+-]")) {
            if (part.length() >= 3) {
                inputs.add(part);
            }
        }
        if (displayName != null) {
            for (String part : displayName.toLowerCase(Locale.ROOT).split("\\s+")) {
                if (part.length() >= 3) {
                    inputs.add(part);
                }
            }
        }
        inputs.add("vask");
        return inputs;
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
