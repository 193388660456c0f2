package dev.vask.platform.key;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppDirectory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** App keys: creation, secrets at rest, rotation, and revocation that is final and reaches every node. */
class KeyApiTests extends ManagementApiTestSupport {

    @Autowired
    AppDirectory directory;

    @Test
    void aNewKeyComesWithItsSecretWhichIsStoredEncrypted() throws Exception {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        var result = owner.api().post().uri("/api/v1/apps/{app}/keys", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("label", "production"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult();
        Map<?, ?> key = result.getResponseBody();
        String value = (String) key.get("key");
        String secret = (String) key.get("secret");
        assertThat(value).matches("^[0-9a-f]{20}$");
        assertThat(secret).matches("^[0-9a-f]{32}$");
        assertThat(key.get("label")).isEqualTo("production");
        assertThat(key.get("active")).isEqualTo(true);
        assertThat(result.getResponseHeaders().getLocation()).hasPath("/api/v1/apps/" + app + "/keys/" + value);
        byte[] stored = ciphertext(value);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
        // developers and above read the secret again later
        owner.api().get().uri("/api/v1/apps/{app}/keys/{key}", app, value).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.secret").isEqualTo(secret);
        await().atMost(Duration.ofSeconds(2)).until(() -> found(value) != null);
        AppConfig config = found(value);
        assertThat(config.credential(value).orElseThrow().secret()).isEqualTo(secret);
    }

    @Test
    void aKeyCanBeCreatedWithoutABody() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        owner.api().post().uri("/api/v1/apps/{app}/keys", app).exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.label").doesNotExist().jsonPath("$.secret").exists();
    }

    @Test
    void rotatingASecretKeepsTheAppReachableThroughoutAndTheRevokedKeyLeavesTheDirectoryWithinTwoSeconds() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        String old = (String) owner.createKey(app).get("key");
        String replacement = (String) owner.createKey(app).get("key");
        await().atMost(Duration.ofSeconds(2)).until(() -> found(old) != null && found(old).hasActiveKey(replacement));
        owner.api().post().uri("/api/v1/apps/{app}/keys/{key}/revoke", app, old).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.active").isEqualTo(false).jsonPath("$.revokedAt").exists();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() -> found(old) == null);
        AppConfig config = found(replacement);
        assertThat(config).isNotNull();
        assertThat(config.hasActiveKey(old)).isFalse();
        owner.api().get().uri("/api/v1/apps/{app}/keys", app).exchange()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].key").isEqualTo(old).jsonPath("$[0].active").isEqualTo(false)
                .jsonPath("$[1].key").isEqualTo(replacement).jsonPath("$[1].active").isEqualTo(true);
    }

    @Test
    void concurrentRevocationsAgreeOnOneRevocationTimeAndOneAuditEntry() throws Exception {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        String key = (String) owner.createKey(app).get("key");
        Set<Object> revokedAt = ConcurrentHashMap.newKeySet();
        Flux.range(0, 8)
                .parallel(8).runOn(Schedulers.boundedElastic())
                .map(i -> owner.api().post().uri("/api/v1/apps/{app}/keys/{key}/revoke", app, key).exchange()
                        .expectStatus().isOk()
                        .expectBody(Map.class).returnResult().getResponseBody().get("revokedAt"))
                .doOnNext(revokedAt::add)
                .sequential()
                .blockLast(Duration.ofSeconds(30));
        assertThat(revokedAt).hasSize(1);
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(
                        "select count(*) from audit_events where action = 'key.revoked' and target_id = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aRevokedKeyStaysRevokedEvenForAHandWrittenUpdate() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        String key = (String) owner.createKey(app).get("key");
        owner.api().post().uri("/api/v1/apps/{app}/keys/{key}/revoke", app, key).exchange().expectStatus().isOk();
        assertThatThrownBy(() -> database.execute("update app_keys set revoked_at = null where key = '" + key + "'"))
                .hasMessageContaining("is revoked and stays revoked");
        assertThatThrownBy(() -> database.execute("update app_keys set revoked_at = now() + interval '1 day' where key = '" + key + "'"))
                .hasMessageContaining("is revoked and stays revoked");
        assertThatThrownBy(() -> database.execute("update app_keys set secret_ciphertext = secret_ciphertext || '\\x00'::bytea "
                + "where key = '" + key + "'")).hasMessageContaining("cannot change its app, key or secret");
    }

    @Test
    void anAppHoldsAtMostTenActiveKeys() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add((String) owner.createKey(app).get("key"));
        }
        owner.api().post().uri("/api/v1/apps/{app}/keys", app).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/too-many-keys");
        owner.api().post().uri("/api/v1/apps/{app}/keys/{key}/revoke", app, keys.getFirst()).exchange().expectStatus().isOk();
        owner.api().post().uri("/api/v1/apps/{app}/keys", app).exchange().expectStatus().isCreated();
    }

    @Test
    void unknownKeysAndBadLabelsAreRefused() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        owner.api().post().uri("/api/v1/apps/{app}/keys/{key}/revoke", app, "no-such-key").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        owner.api().get().uri("/api/v1/apps/{app}/keys/{key}", app, "no-such-key").exchange().expectStatus().isNotFound();
        owner.api().post().uri("/api/v1/apps/{app}/keys", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("label", "x".repeat(101)))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("label");
        owner.api().post().uri("/api/v1/apps/{app}/keys", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("key", "my-own-key", "secret", "my-own-secret"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("is not a known field");
    }

    private AppConfig found(String key) {
        return directory.findByKey(key).block(Duration.ofSeconds(5));
    }

    private static byte[] ciphertext(String key) throws Exception {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("select secret_ciphertext from app_keys where key = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getBytes(1);
            }
        }
    }
}
