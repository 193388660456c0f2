package dev.vask.platform.account;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The strength estimate (zxcvbn) refuses what a breach list or a guessing attack finds first, not just 34 exact strings. */
class PasswordPolicyTests {

    private final PasswordPolicy policy = new PasswordPolicy();

    @ParameterizedTest
    @ValueSource(strings = {"Password2024!", "P@ssw0rd123", "iloveyou2020", "qwertyuiop123", "1qaz2wsx3edc", "monkey12345",
            "trustno1!!!", "Summer2023!", "football2022", "abc123abc123", "baseball1234", "letmein2024", "11111111111"})
    void commonAndBreachedPasswordsAreRefused(String password) {
        assertThat(policy.check(password, "someone@example.com", null)).get().asString().startsWith("is too easy to guess");
    }

    @Test
    void theAccountsOwnAddressAndNameAreRefusedAsPasswords() {
        assertThat(policy.check("ada.lovelace1815", "ada.lovelace@example.com", null)).isPresent();
        assertThat(policy.check("Babbage1791!", "charles@example.com", "Charles Babbage")).isPresent();
        assertThat(policy.check("ada.lovelace1815", "grace@example.com", null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "seven purple otters juggling teacups", "plenty of loose tea leaves",
            "a brand new passphrase", "4x!Tq9#vLm2$"})
    void longPassphrasesAndRandomPasswordsAreAccepted(String password) {
        assertThat(policy.check(password, "someone@example.com", null)).isEmpty();
    }

    @Test
    void lengthRulesComeFirstAndTheCheckRunsOffTheCallingThread() {
        assertThat(policy.check("short", "a@example.com", null)).contains("must be at least 10 characters");
        assertThat(policy.check("é".repeat(40), "a@example.com", null)).contains("must be at most 72 bytes (UTF-8)");
        StepVerifier.create(policy.problem("correct horse battery staple", "a@example.com", null))
                .expectNext(Optional.empty()).verifyComplete();
    }
}
