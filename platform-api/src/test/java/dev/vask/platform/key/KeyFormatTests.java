package dev.vask.platform.key;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link KeyGenerator#isValidKey} accepts exactly what the database's app_keys_key_format constraint accepts. */
class KeyFormatTests {

    /** The constraint of V1__tenant_schema.sql, as a Java pattern. */
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_-]{3,64}");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

    @Test
    void acceptsExactlyWhatTheDatabaseAccepts() {
        List<String> keys = new ArrayList<>(List.of("", "ab", "abc", "123", "12a", "a-_", "---", "278d425bdf160c739803", "a".repeat(64),
                "a".repeat(65), "1".repeat(64), "ab c", "abc\n", "ab\u00e9", "ab.c", "ab%41", "ÄBC", "abc\u0000"));
        Random random = new Random(14);
        String alphabet = "aZ09_-.%+ \n\u00e9/";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(70);
            for (int j = 0; j < length; j++) {
                key.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('0' + random.nextInt(10)));
            }
            keys.add(key.toString());
        }
        for (String key : keys) {
            boolean database = DATABASE.matcher(key).matches() && !ALL_DIGITS.matcher(key).matches();
            assertThat(KeyGenerator.isValidKey(key)).as("key %s", key).isEqualTo(database);
        }
        assertThat(keys.stream().filter(KeyGenerator::isValidKey).count()).isGreaterThan(500);
    }

    @Test
    void newKeysAreValid() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(KeyGenerator.isValidKey(KeyGenerator.newKey())).isTrue();
        }
    }
}
