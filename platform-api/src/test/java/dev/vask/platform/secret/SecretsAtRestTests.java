package dev.vask.platform.secret;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.key.KeyGenerator;
import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SecretsAtRestTests {

    static TestDatabase database;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = PlatformTestDatabase.register(registry);
    }

    @Autowired
    SecretCipher cipher;

    @Test
    void appSecretColumnHoldsCiphertextThatOnlyTheMasterKeyOpens() throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select key, secret_ciphertext from app_keys")) {
            assertThat(rows.next()).isTrue();
            String key = rows.getString("key");
            byte[] stored = rows.getBytes("secret_ciphertext");
            assertThat(key).isEqualTo(PlatformTestDatabase.APP_KEY);
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(PlatformTestDatabase.APP_SECRET);
            assertThat(new String(stored, StandardCharsets.UTF_8)).doesNotContain(PlatformTestDatabase.APP_SECRET);
            assertThat(cipher.decrypt(stored, KeyGenerator.secretContext(key))).isEqualTo(PlatformTestDatabase.APP_SECRET);
        }
    }

    @Test
    void noColumnOfAnyTableContainsTheSecretInClear() throws Exception {
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement("""
                select count(*) from (
                  select row_to_json(k)::text as t from app_keys k
                  union all select row_to_json(a)::text from apps a
                  union all select row_to_json(i)::text from vask_instance i) all_rows
                where position(? in t) > 0""")) {
            statement.setString(1, PlatformTestDatabase.APP_SECRET);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }
}
