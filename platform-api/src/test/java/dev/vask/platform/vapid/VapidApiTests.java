package dev.vask.platform.vapid;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.platform.secret.SecretDecryptionException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Web Push keys through the management API and the public endpoint, checked against the database: a key appears
 * when Web Push is turned on and is gone (with its subscriptions) when it is turned off; a rotation leaves exactly
 * one pair, and neither the old pair's row nor its ciphertext nor its subscriptions remain, also when two rotations
 * race; the settings are validated; other tenants see nothing; every change is audited.
 */
class VapidApiTests extends ManagementApiTestSupport {

    @Autowired
    SecretCipher cipher;

    @Test
    void turningWebPushOnMakesOneKeyWhosePrivateHalfIsEncryptedAndTurningItOffDestroysItWithItsSubscriptions() throws Exception {
        TestAccount owner = signUp();
        long app = owner.createApp("Push");
        Map<?, ?> off = vapid(owner, app);
        assertThat(off.get("webPush")).isEqualTo(false);
        assertThat(off.get("publicKey")).isNull();
        assertThat(off.get("rotationPeriod")).isEqualTo("P30D");
        assertThat(keyRows(app)).isEmpty();

        setWebPush(owner, app, true);
        List<KeyRow> rows = keyRows(app);
        assertThat(rows).hasSize(1);
        KeyRow key = rows.getFirst();
        assertThat(key.publicKey()).matches("^B[A-Za-z0-9_-]{86}$");
        byte[] point = Base64.getUrlDecoder().decode(key.publicKey());
        assertThat(point).hasSize(65);
        assertThat(VapidKeyPair.decodePublicKey(key.publicKey())).as("on the curve").isPresent();

        // at rest: AES-GCM under the master key, bound to this app; not the scalar in any form
        String scalarText = cipher.decrypt(key.ciphertext(), VapidKeys.privateKeyContext(app));
        byte[] scalar = Base64.getUrlDecoder().decode(scalarText);
        assertThat(scalar).hasSize(32);
        assertThat(indexOf(key.ciphertext(), scalar)).isNegative();
        assertThat(indexOf(key.ciphertext(), scalarText.getBytes(StandardCharsets.US_ASCII))).isNegative();
        assertThatThrownBy(() -> cipher.decrypt(key.ciphertext(), VapidKeys.privateKeyContext(app + 1)))
                .isInstanceOf(SecretDecryptionException.class);
        assertSignsFor(scalar, point);

        Map<?, ?> on = vapid(owner, app);
        assertThat(on.get("webPush")).isEqualTo(true);
        assertThat(on.get("publicKey")).isEqualTo(key.publicKey());
        Instant created = Instant.parse((String) on.get("createdAt"));
        assertThat(created).isEqualTo(key.createdAt());
        assertThat(Instant.parse((String) on.get("nextRotationAt"))).isEqualTo(created.plus(Duration.ofDays(30)));

        subscribe(app, key.id(), "https://push.example.net/a");
        setWebPush(owner, app, false);
        assertThat(keyRows(app)).isEmpty();
        assertThat(subscriptionCount(app)).isZero();
        assertThat(vapid(owner, app).get("publicKey")).isNull();

        // on again: a new pair, never the old one
        setWebPush(owner, app, true);
        assertThat(keyRows(app)).singleElement().satisfies(again -> {
            assertThat(again.id()).isGreaterThan(key.id());
            assertThat(again.publicKey()).isNotEqualTo(key.publicKey());
        });
    }

    @Test
    void anAppCreatedWithWebPushOnHasAKeyAtOnce() {
        TestAccount owner = signUp();
        Map<?, ?> created = owner.api().post().uri("/api/v1/tenants/{tenant}/apps", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Born with push", "features", Map.of("webPush", true)))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        long app = ((Number) created.get("id")).longValue();
        assertThat(keyRows(app)).hasSize(1);
        assertThat(vapid(owner, app).get("publicKey")).isEqualTo(keyRows(app).getFirst().publicKey());
    }

    @Test
    void rotatingDestroysTheOldPrivateKeyAndItsSubscriptionsAndIsAudited() throws Exception {
        TestAccount owner = signUp();
        long app = pushApp(owner);
        KeyRow old = keyRows(app).getFirst();
        subscribe(app, old.id(), "https://push.example.net/one");
        subscribe(app, old.id(), "https://push.example.net/two");
        assertThat(subscriptionCount(app)).isEqualTo(2);

        Map<?, ?> rotated = (owner.api().post().uri("/api/v1/apps/{app}/vapid/rotate", app).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody());

        List<KeyRow> rows = keyRows(app);
        assertThat(rows).hasSize(1);
        KeyRow current = rows.getFirst();
        assertThat(current.id()).isNotEqualTo(old.id());
        assertThat(rotated.get("publicKey")).isEqualTo(current.publicKey()).isNotEqualTo(old.publicKey());
        assertThat(Instant.parse((String) rotated.get("createdAt"))).isEqualTo(current.createdAt());
        // the old private key is gone: no row with its id, and its ciphertext nowhere in the table
        assertThat(queryLong("select count(*) from vapid_keys where id = ?", old.id())).isZero();
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement("select count(*) from vapid_keys where private_key_ciphertext = ?")) {
            statement.setBytes(1, old.ciphertext());
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                assertThat(result.getLong(1)).isZero();
            }
        }
        assertThat(subscriptionCount(app)).isZero();

        List<Map<?, ?>> audit = auditOf(owner, "vapid.rotated");
        assertThat(audit).hasSize(1);
        Map<?, ?> details = (Map<?, ?>) audit.getFirst().get("details");
        assertThat(details.get("reason")).isEqualTo("requested");
        assertThat(((Number) details.get("destroyedKeyId")).longValue()).isEqualTo(old.id());
        assertThat(((Number) details.get("keyId")).longValue()).isEqualTo(current.id());
        assertThat(audit.getFirst().get("targetId")).isEqualTo(Long.toString(app));
        assertThat(audit.getFirst().get("actorEmail")).isEqualTo(owner.email());
    }

    @Test
    void racingRotationsLeaveExactlyOneKeyPerApp() {
        TestAccount owner = signUp();
        long app = pushApp(owner);
        for (int round = 0; round < 4; round++) {
            long before = keyRows(app).getFirst().id();
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> rotateStatus(owner, app));
            CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> rotateStatus(owner, app));
            assertThat(List.of(first.join(), second.join())).containsExactly(200, 200);
            List<KeyRow> rows = keyRows(app);
            assertThat(rows).as("round " + round).hasSize(1);
            assertThat(rows.getFirst().id()).isGreaterThan(before);
        }
        assertThat(auditOf(owner, "vapid.rotated")).hasSize(8);
    }

    @Test
    void rotatingAnAppWithoutWebPushIsAConflictThatSaysWhatToDo() {
        TestAccount owner = signUp();
        long app = owner.createApp("No push");
        owner.api().post().uri("/api/v1/apps/{app}/vapid/rotate", app).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://vask.dev/problems/web-push-off")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("turn Web Push on"));
        assertThat(keyRows(app)).isEmpty();
    }

    @Test
    void patchChangesThePeriodAndSubjectAndRefusesBadValuesFieldByField() {
        TestAccount owner = signUp();
        long app = pushApp(owner);
        Map<?, ?> changed = (owner.api().patch().uri("/api/v1/apps/{app}/vapid", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rotationPeriod", "P7D", "subject", "mailto:push@example.com"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody());
        assertThat(changed.get("rotationPeriod")).isEqualTo("P7D");
        assertThat(changed.get("subject")).isEqualTo("mailto:push@example.com");
        assertThat(Instant.parse((String) changed.get("nextRotationAt")))
                .isEqualTo(Instant.parse((String) changed.get("createdAt")).plus(Duration.ofDays(7)));
        assertThat(queryLong("select extract(epoch from vapid_rotation_period)::bigint from apps where id = ?", app)).isEqualTo(7 * 86_400L);

        // hours, and a subject cleared with null (absent fields keep their value)
        Map<String, Object> clear = new HashMap<>();
        clear.put("subject", null);
        owner.api().patch().uri("/api/v1/apps/{app}/vapid", app).contentType(MediaType.APPLICATION_JSON).bodyValue(clear)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.subject").isEmpty()
                .jsonPath("$.rotationPeriod").isEqualTo("P7D");
        owner.api().patch().uri("/api/v1/apps/{app}/vapid", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rotationPeriod", "PT36H", "subject", "https://example.com/contact"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.rotationPeriod").isEqualTo("PT36H")
                .jsonPath("$.subject").isEqualTo("https://example.com/contact");

        Map<String, Object> nullPeriod = new HashMap<>();
        nullPeriod.put("rotationPeriod", null);
        refused(owner, app, Map.of("rotationPeriod", "30 days"), "rotationPeriod", "must be an ISO-8601 duration such as P30D or PT12H");
        refused(owner, app, Map.of("rotationPeriod", "PT30M"), "rotationPeriod", "must be between PT1H (one hour) and P3650D (ten years)");
        refused(owner, app, Map.of("rotationPeriod", "P4000D"), "rotationPeriod", "must be between PT1H (one hour) and P3650D (ten years)");
        refused(owner, app, Map.of("rotationPeriod", "PT1H0.5S"), "rotationPeriod", "must be a whole number of seconds");
        refused(owner, app, nullPeriod, "rotationPeriod", "must not be null (leave the field out to keep its value)");
        refused(owner, app, Map.of("subject", "ftp://example.com"), "subject", "must start with mailto: or https:// (push services contact you there)");
        refused(owner, app, Map.of("subject", "mailto:nobody"), "subject", "must be a mailto: address such as mailto:push@example.com");
        refused(owner, app, Map.of("subject", "mailto:" + "a".repeat(250) + "@x.io"), "subject", "must be at most 255 characters");
        refused(owner, app, Map.of("rotationPeriod", 30), "rotationPeriod", null);
        owner.api().patch().uri("/api/v1/apps/{app}/vapid", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("period", "P7D")).exchange().expectStatus().isBadRequest();
        assertThat(vapid(owner, app).get("rotationPeriod")).isEqualTo("PT36H");

        List<Map<?, ?>> audit = auditOf(owner, "vapid.updated");
        assertThat(audit).hasSize(3);
        assertThat(audit.getFirst().get("details").toString()).contains("rotationPeriod").contains("P30D").contains("P7D");
    }

    @Test
    void anotherTenantsAppIsNotFoundAndAViewerMayReadButNotRotate() {
        TestAccount owner = signUp();
        long app = pushApp(owner);
        TestAccount stranger = signUp();
        stranger.api().get().uri("/api/v1/apps/{app}/vapid", app).exchange().expectStatus().isNotFound();
        stranger.api().patch().uri("/api/v1/apps/{app}/vapid", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rotationPeriod", "P1D")).exchange().expectStatus().isNotFound();
        stranger.api().post().uri("/api/v1/apps/{app}/vapid/rotate", app).exchange().expectStatus().isNotFound();
        TestAccount viewer = signUp();
        owner.addMember(viewer, "viewer");
        viewer.api().get().uri("/api/v1/apps/{app}/vapid", app).exchange().expectStatus().isOk();
        viewer.api().post().uri("/api/v1/apps/{app}/vapid/rotate", app).exchange().expectStatus().isForbidden();
        assertThat(auditOf(owner, "vapid.rotated")).isEmpty();
        assertThat(vapid(owner, app).get("rotationPeriod")).isEqualTo("P30D");
    }

    @Test
    void thePublicEndpointAnswersTheLatestChangeEventToAnyOrigin() {
        TestAccount owner = signUp();
        long app = pushApp(owner);
        String appKey = (String) owner.createKey(app).get("key");
        KeyRow key = keyRows(app).getFirst();
        String expected = VapidChangeEvent.json(key.createdAt(), key.publicKey());
        assertThat(expected).matches("\\{\"type\":\"vapid\",\"event\":\"changed\",\"at\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\","
                + "\"key\":\"B[A-Za-z0-9_-]{86}\"}");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(publicEvent(appKey)).isEqualTo(expected));
        client.get().uri("/apps/{key}/vapid", appKey).header(HttpHeaders.ORIGIN, "https://customer.example").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        client.method(HttpMethod.OPTIONS).uri("/apps/{key}/vapid", appKey)
                .header(HttpHeaders.ORIGIN, "https://customer.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .expectHeader().value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods -> assertThat(methods).contains("GET"));

        owner.api().post().uri("/api/v1/apps/{app}/vapid/rotate", app).exchange().expectStatus().isOk();
        KeyRow rotated = keyRows(app).getFirst();
        // the node that rotated answers the new key at once
        assertThat(publicEvent(appKey)).isEqualTo(VapidChangeEvent.json(rotated.createdAt(), rotated.publicKey()));

        client.get().uri("/apps/{key}/vapid", "no-such-app-key").exchange()
                .expectStatus().isNotFound()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .expectBody().jsonPath("$.error").isEqualTo("No app has the key no-such-app-key");
        setWebPush(owner, app, false);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> client.get().uri("/apps/{key}/vapid", appKey).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").value(error -> assertThat((String) error).startsWith("Web Push is off for this app")));
    }

    // ---- helpers ----

    record KeyRow(long id, String publicKey, byte[] ciphertext, Instant createdAt) {
    }

    static long pushApp(TestAccount owner) {
        long app = owner.createApp("Push " + System.nanoTime());
        setWebPush(owner, app, true);
        return app;
    }

    static void setWebPush(TestAccount owner, long app, boolean on) {
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("features", Map.of("webPush", on))).exchange().expectStatus().isOk();
    }

    static Map<?, ?> vapid(TestAccount owner, long app) {
        return (owner.api().get().uri("/api/v1/apps/{app}/vapid", app).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody());
    }

    private String publicEvent(String appKey) {
        return client.get().uri("/apps/{key}/vapid", appKey).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private static int rotateStatus(TestAccount owner, long app) {
        return owner.api().post().uri("/api/v1/apps/{app}/vapid/rotate", app).exchange().returnResult(String.class).getStatus().value();
    }

    private static void refused(TestAccount owner, long app, Map<String, ?> body, String field, String message) {
        var spec = owner.api().patch().uri("/api/v1/apps/{app}/vapid", app).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo(field);
        if (message != null) {
            spec.jsonPath("$.errors[0].message").isEqualTo(message);
        }
    }

    private static List<Map<?, ?>> auditOf(TestAccount owner, String action) {
        Map<?, ?> page = (owner.api().get().uri("/api/v1/tenants/{t}/audit-events", owner.tenantId()).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody());
        List<Map<?, ?>> events = new ArrayList<>();
        for (Object event : (List<?>) page.get("events")) {
            if (action.equals(((Map<?, ?>) event).get("action"))) {
                events.add((Map<?, ?>) event);
            }
        }
        return events.reversed(); // oldest first
    }

    static List<KeyRow> keyRows(long app) {
        List<KeyRow> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(
                        "select id, public_key, private_key_ciphertext, created_at from vapid_keys where app_id = ? order by id")) {
            statement.setLong(1, app);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new KeyRow(result.getLong(1), result.getString(2), result.getBytes(3),
                            result.getObject(4, java.time.OffsetDateTime.class).toInstant()));
                }
            }
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    static void subscribe(long app, long keyId, String endpoint) {
        database.execute("insert into push_subscriptions (app_id, user_id, endpoint, p256dh, auth, vapid_key_id) values (" + app
                + ", 'user-1', '" + endpoint + "', decode(repeat('04', 65), 'hex'), decode(repeat('ab', 16), 'hex'), " + keyId + ")");
    }

    static long subscriptionCount(long app) {
        return queryLong("select count(*) from push_subscriptions where app_id = ?", app);
    }

    static long queryLong(String sql, long parameter) {
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long queryLongIn(dev.vask.testing.database.TestDatabase in, String sql, String parameter) {
        return Long.parseLong(queryStringIn(in, sql, parameter));
    }

    static String queryStringIn(dev.vask.testing.database.TestDatabase in, String sql, String parameter) {
        try (Connection connection = in.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).as(sql).isTrue();
                return result.getString(1);
            }
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void assertSignsFor(byte[] scalar, byte[] point) throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
        KeyFactory factory = KeyFactory.getInstance("EC");
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(factory.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), p256)));
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(factory.generatePublic(new ECPublicKeySpec(new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65))), p256)));
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).as("the stored private key belongs to the stored public key").isTrue();
    }
}
