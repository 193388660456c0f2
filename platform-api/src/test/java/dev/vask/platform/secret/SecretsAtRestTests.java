package dev.vask.platform.secret;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.TestAccount;
import dev.vask.platform.key.KeyGenerator;
import dev.vask.platform.management.OpaqueTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing secret is stored in the clear: after a workload that creates every kind of secret Vask handles
 * (app secrets, passwords, a wrong password, API tokens, session cookies, the master key), every column of
 * every table, audit log and sessions included, is read the way an operator with a database dump would
 * (bytea as its bytes, not as hex text) and searched for each secret, raw, hex- and base64-encoded.
 */
class SecretsAtRestTests extends ManagementApiTestSupport {

    @Autowired
    SecretCipher cipher;

    @Test
    void appSecretColumnHoldsCiphertextThatOnlyTheMasterKeyOpens() throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select key, secret_ciphertext from app_keys where key = '"
                        + PlatformTestDatabase.APP_KEY + "'")) {
            assertThat(rows.next()).isTrue();
            String key = rows.getString("key");
            byte[] stored = rows.getBytes("secret_ciphertext");
            assertThat(contains(stored, PlatformTestDatabase.APP_SECRET.getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(cipher.decrypt(stored, KeyGenerator.secretContext(key))).isEqualTo(PlatformTestDatabase.APP_SECRET);
        }
    }

    @Test
    void noColumnOfAnyTableHoldsAnySecretInTheClear() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the bootstrap app's secret", PlatformTestDatabase.APP_SECRET);
        secrets.put("the bootstrap admin's password", "admin-password-1");
        secrets.put("the master key", PlatformTestDatabase.MASTER_KEY);

        TestAccount owner = signUp();
        secrets.put("a password set at sign-up", owner.password());
        secrets.put("a session cookie", owner.sessionCookie());
        secrets.put("an API token", owner.token());
        long app = owner.createApp("Secret keeper");
        String firstKey = (String) owner.createKey(app).get("key");
        secrets.put("an app secret", (String) owner.createKey(app).get("secret"));
        owner.api().post().uri("/api/v1/apps/{app}/keys/{key}/revoke", app, firstKey).contentType(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isOk();
        TestAccount member = signUp();
        owner.addMember(member, "developer");
        String newPassword = "a brand new passphrase for the test";
        owner.browser().put().uri("/api/v1/account/password").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", owner.password(), "newPassword", newPassword)).exchange().expectStatus().isNoContent();
        secrets.put("a changed password", newPassword);
        TestAccount.Session later = TestAccount.signIn(client, owner.email(), newPassword, owner.address());
        secrets.put("the session cookie of a later sign-in", later.cookie());
        String wrongGuess = "not-the-password-but-close";
        client.post().uri("/api/v1/session").contentType(MediaType.APPLICATION_JSON).header("X-Forwarded-For", randomAddress())
                .bodyValue(Map.of("email", member.email(), "password", wrongGuess)).exchange().expectStatus().isUnauthorized();
        secrets.put("a wrong password someone tried", wrongGuess);
        Map<?, ?> readOnly = client.post().uri("/api/v1/account/tokens").contentType(MediaType.APPLICATION_JSON)
                .cookie("VASK_SESSION", later.cookie()).cookie("XSRF-TOKEN", later.csrfToken()).header("X-XSRF-TOKEN", later.csrfToken())
                .header("X-Forwarded-For", owner.address())
                .bodyValue(Map.of("name", "read only", "scopes", List.of("read"))).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        secrets.put("a second API token", (String) readOnly.get("token"));

        Map<String, List<Map<String, Object>>> tables = dump();

        // the dump really holds the workload: the rows are there, and what is stored hashed is found hashed
        for (String table : List.of("accounts", "tenants", "tenant_members", "apps", "app_keys", "account_sessions", "api_tokens",
                "audit_events", "login_throttle", "vask_instance", "flyway_schema_history")) {
            assertThat(tables.get(table)).as(table).isNotEmpty();
        }
        assertThat(where(tables, OpaqueTokens.sha256(later.cookie()))).containsExactly("account_sessions.token_hash");
        assertThat(where(tables, OpaqueTokens.sha256(owner.token()))).containsExactly("api_tokens.token_hash");
        assertThat(where(tables, firstKey.getBytes(StandardCharsets.UTF_8))).contains("app_keys.key");

        Map<String, List<String>> found = new TreeMap<>();
        secrets.forEach((what, secret) -> {
            List<String> columns = new ArrayList<>();
            for (byte[] form : forms(secret)) {
                columns.addAll(where(tables, form));
            }
            if (!columns.isEmpty()) {
                found.put(what, columns);
            }
        });
        assertThat(found).as("secrets found in the clear, with the columns holding them").isEmpty();
    }

    /** The secret as written, and as hex and base64 of its bytes: an encoding is not a protection. */
    private static List<byte[]> forms(String secret) {
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(raw, HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().withoutPadding().encodeToString(raw).getBytes(StandardCharsets.US_ASCII),
                Base64.getUrlEncoder().withoutPadding().encodeToString(raw).getBytes(StandardCharsets.US_ASCII));
    }

    /** Every row of every table outside PostgreSQL's own schemas: bytea as its bytes, anything else as its text. */
    private static Map<String, List<Map<String, Object>>> dump() throws Exception {
        Map<String, List<Map<String, Object>>> tables = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("""
                    select table_schema, table_name from information_schema.tables
                    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')""")) {
                while (rows.next()) {
                    names.add(rows.getString(1) + "." + rows.getString(2));
                }
            }
            for (String name : names) {
                List<Map<String, Object>> content = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery("select * from " + name)) {
                    ResultSetMetaData columns = rows.getMetaData();
                    while (rows.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            boolean bytes = columns.getColumnTypeName(i).equals("bytea");
                            row.put(columns.getColumnName(i), bytes ? rows.getBytes(i) : rows.getString(i));
                        }
                        content.add(row);
                    }
                }
                tables.put(name.substring(name.indexOf('.') + 1), content);
            }
        }
        return tables;
    }

    /** The columns ({@code table.column}) in which some row holds these bytes. */
    private static List<String> where(Map<String, List<Map<String, Object>>> tables, byte[] needle) {
        List<String> columns = new ArrayList<>();
        tables.forEach((table, rows) -> rows.forEach(row -> row.forEach((column, value) -> {
            byte[] haystack = value instanceof byte[] bytes ? bytes : value == null ? new byte[0] : ((String) value).getBytes(StandardCharsets.UTF_8);
            if (contains(haystack, needle) && !columns.contains(table + "." + column)) {
                columns.add(table + "." + column);
            }
        })));
        return columns;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
