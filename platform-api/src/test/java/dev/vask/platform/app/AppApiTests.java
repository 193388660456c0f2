package dev.vask.platform.app;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static dev.vask.platform.TestJson.list;
import static dev.vask.platform.TestJson.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Apps over the management API: the whole life of an app, validation, conditional edits, and live propagation. */
class AppApiTests extends ManagementApiTestSupport {

    @Autowired
    AppDirectory directory;

    @Test
    void createdAppGetsAServerAssignedIdDefaultsAndAnEtag() {
        TestAccount owner = signUp();
        var result = owner.api().post().uri("/api/v1/tenants/{tenant}/apps", owner.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "  Chat  "))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().exists(HttpHeaders.ETAG)
                .expectBody(Map.class).returnResult();
        Map<String, Object> app = map(result.getResponseBody());
        long id = ((Number) app.get("id")).longValue();
        assertThat(id).isGreaterThan(100000);
        assertThat(result.getResponseHeaders().getLocation()).hasPath("/api/v1/apps/" + id);
        assertThat(app).containsEntry("name", "Chat").containsEntry("enabled", true).containsEntry("tenantId", (int) owner.tenantId());
        assertThat(map(app.get("features"))).containsOnly(Map.entry("clientEvents", false), Map.entry("userAuthenticationRequired", false),
                Map.entry("watchlistEvents", false), Map.entry("subscriptionCount", false), Map.entry("webPush", false),
                Map.entry("pushFallback", false));
        Map<String, Object> limits = map(app.get("limits"));
        assertThat(limits.get("maxConnections")).isNull();
        assertThat(limits.get("maxMessagesPerDay")).isNull();
        assertThat(limits).containsEntry("maxMessageBytes", 10240).containsEntry("clientEventsPerSecond", 10).containsEntry("maxPresenceMembers", 100);
        assertThat(app).doesNotContainKey("etag");
    }

    @Test
    void appsAreListedPerTenantAndAcrossTheCallersTenants() {
        TestAccount owner = signUp();
        TestAccount other = signUp();
        long mine = owner.createApp("mine");
        long theirs = other.createApp("theirs");
        other.addMember(owner, "viewer");
        owner.api().get().uri("/api/v1/tenants/{tenant}/apps", owner.tenantId()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].id").isEqualTo(mine);
        owner.api().get().uri("/api/v1/apps").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[*].id").value(ids -> assertThat(list(ids)).containsExactly((int) mine, (int) theirs));
        other.api().get().uri("/api/v1/apps").exchange()
                .expectBody().jsonPath("$[*].id").value(ids -> assertThat(list(ids)).containsExactly((int) theirs));
    }

    @Test
    void patchChangesOnlyThePresentFieldsAndMergesTogglesAndLimits() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("features", Map.of("clientEvents", true), "limits", Map.of("maxConnections", 500, "maxMessagesPerDay", 1000)))
                .exchange().expectStatus().isOk();
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"Chat 2\", \"features\": {\"webPush\": true, \"pushFallback\": true}, \"limits\": {\"maxConnections\": null}}")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Chat 2")
                .jsonPath("$.enabled").isEqualTo(true)
                .jsonPath("$.features.clientEvents").isEqualTo(true)
                .jsonPath("$.features.webPush").isEqualTo(true)
                .jsonPath("$.features.pushFallback").isEqualTo(true)
                .jsonPath("$.features.subscriptionCount").isEqualTo(false)
                .jsonPath("$.limits.maxConnections").doesNotExist()
                .jsonPath("$.limits.maxMessagesPerDay").isEqualTo(1000)
                .jsonPath("$.limits.maxMessageBytes").isEqualTo(10240);
    }

    @Test
    void badFieldsAreRefusedWithTheirPathAndChangeNothing() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        patchFails(owner, app, Map.of("name", ""), "name", "must be 1 to 100 characters");
        patchFails(owner, app, Map.of("name", "x".repeat(101)), "name", "must be 1 to 100 characters");
        patchFails(owner, app, Map.of("name", "two\nlines"), "name", "must not contain control characters");
        patchFails(owner, app, Map.of("name", "   "), "name", "must not be blank");
        patchFails(owner, app, Map.of("enabled", "yes"), "enabled", "must be true or false");
        patchFails(owner, app, Map.of("enabled", 0), "enabled", "must be true or false");
        patchFails(owner, app, Map.of("features", Map.of("clientEvents", "true")), "features.clientEvents", "must be true or false");
        patchFails(owner, app, Map.of("features", Map.of("teleport", true)), "features.teleport", "is not a known field");
        patchFails(owner, app, Map.of("limits", Map.of("maxMessageBytes", 0)), "limits.maxMessageBytes", "must be between 1 and 1048576");
        patchFails(owner, app, Map.of("limits", Map.of("maxMessageBytes", 2_000_000)), "limits.maxMessageBytes", "must be between 1 and 1048576");
        patchFails(owner, app, Map.of("limits", Map.of("clientEventsPerSecond", 1.5)), "limits.clientEventsPerSecond", "must be an integer");
        patchFails(owner, app, Map.of("limits", Map.of("maxConnections", "100")), "limits.maxConnections", "must be an integer");
        patchFails(owner, app, Map.of("limits", Map.of("maxConnections", -1)), "limits.maxConnections",
                "must be between 0 and 10000000, or null for no limit");
        patchFails(owner, app, Map.of("limits", Map.of("maxConnections", 99_999_999_999L)), "limits.maxConnections", "is out of range");
        // mass assignment: fields the API does not let anyone set
        patchFails(owner, app, Map.of("tenantId", 1), "tenantId", "is not a known field");
        patchFails(owner, app, Map.of("id", 1), "id", "is not a known field");
        patchFails(owner, app, Map.of("createdAt", "2020-01-01T00:00:00Z"), "createdAt", "is not a known field");
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"limits\": {\"maxMessageBytes\": null}}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("limits.maxMessageBytes")
                .jsonPath("$.errors[0].message").isEqualTo("must be a number");
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"a\", \"name\": \"b\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("name").jsonPath("$.errors[0].message").isEqualTo("appears twice");
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "", "limits", Map.of("maxPresenceMembers", 0)))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors.length()").isEqualTo(2);
        owner.api().get().uri("/api/v1/apps/{app}", app).exchange()
                .expectBody().jsonPath("$.name").isEqualTo("Chat").jsonPath("$.updatedAt").value(updated ->
                        assertThat(updated).isEqualTo(owner.api().get().uri("/api/v1/apps/{app}", app).exchange()
                                .expectBody(Map.class).returnResult().getResponseBody().get("createdAt")));
    }

    @Test
    void aNullInAPatchIsRefusedUnlessTheFieldIsOneThatNullClears() {
        TestAccount owner = signUp();
        long app = owner.createApp("Nulls");
        Map<String, Object> nullName = new java.util.HashMap<>();
        nullName.put("name", null);
        patchFails(owner, app, nullName, "name", "must not be null (leave the field out to keep its value)");
        Map<String, Object> nullEnabled = new java.util.HashMap<>();
        nullEnabled.put("enabled", null);
        patchFails(owner, app, nullEnabled, "enabled", "must not be null (leave the field out to keep its value)");
        Map<String, Object> nullToggle = new java.util.HashMap<>();
        nullToggle.put("clientEvents", null);
        patchFails(owner, app, Map.of("features", nullToggle), "features.clientEvents", "must not be null (leave the field out to keep its value)");
        Map<String, Object> nullLimits = new java.util.HashMap<>();
        nullLimits.put("limits", null);
        patchFails(owner, app, nullLimits, "limits", "must not be null (leave the field out to keep its value)");
        // null clears a limit that may be unlimited, and the app keeps its name
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("limits", Map.of("maxConnections", 50))).exchange().expectStatus().isOk();
        Map<String, Object> unlimited = new java.util.HashMap<>();
        unlimited.put("maxConnections", null);
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("limits", unlimited)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("Nulls").jsonPath("$.limits.maxConnections").doesNotExist();
    }

    @Test
    void aStaleIfMatchIsRefusedWithPreconditionFailedAndChangesNothing() {
        TestAccount owner = signUp();
        long app = owner.createApp("Chat");
        String etag = owner.api().get().uri("/api/v1/apps/{app}", app).exchange()
                .expectStatus().isOk().returnResult(Map.class).getResponseHeaders().getETag();
        owner.api().patch().uri("/api/v1/apps/{app}", app).header(HttpHeaders.IF_MATCH, etag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "first writer"))
                .exchange().expectStatus().isOk()
                .expectHeader().value(HttpHeaders.ETAG, newTag -> assertThat(newTag).isNotEqualTo(etag));
        owner.api().patch().uri("/api/v1/apps/{app}", app).header(HttpHeaders.IF_MATCH, etag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "second writer"))
                .exchange()
                .expectStatus().isEqualTo(412)
                .expectBody().jsonPath("$.type").isEqualTo("https://vask.dev/problems/stale-version");
        owner.api().patch().uri("/api/v1/apps/{app}", app).header(HttpHeaders.IF_MATCH, "*").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("enabled", false))
                .exchange().expectStatus().isOk();
        owner.api().get().uri("/api/v1/apps/{app}", app).exchange()
                .expectBody().jsonPath("$.name").isEqualTo("first writer").jsonPath("$.enabled").isEqualTo(false);
    }

    @Test
    void disablingTogglingAndLimitingReachTheAppDirectoryWithinTwoSeconds() {
        TestAccount owner = signUp();
        long app = owner.createApp("Live");
        AppId id = new AppId(app);
        assertThat(found(id).enabled()).isTrue(); // cached now
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("enabled", false, "features", Map.of("clientEvents", true), "limits", Map.of("maxMessageBytes", 2048)))
                .exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() -> !found(id).enabled());
        AppConfig config = found(id);
        assertThat(config.features().clientEvents()).isTrue();
        assertThat(config.limits().maxMessageBytes()).isEqualTo(2048);
        assertThat(config.name()).isEqualTo("Live");
    }

    @Test
    void deletingAnAppRemovesItsKeysAndUsageAndTheDirectoryForgetsIt() throws Exception {
        TestAccount owner = signUp();
        long app = owner.createApp("Doomed");
        String key = (String) owner.createKey(app).get("key");
        database.execute("insert into app_usage_daily (app_id, day, api_messages) values (" + app + ", current_date, 5)");
        await().atMost(Duration.ofSeconds(2)).until(() -> directory.findByKey(key).block(Duration.ofSeconds(5)) != null);
        owner.api().delete().uri("/api/v1/apps/{app}", app).exchange().expectStatus().isNoContent();
        owner.api().get().uri("/api/v1/apps/{app}", app).exchange().expectStatus().isNotFound();
        owner.api().delete().uri("/api/v1/apps/{app}", app).exchange().expectStatus().isNotFound();
        assertThat(count("select count(*) from app_keys where app_id = " + app)).isZero();
        assertThat(count("select count(*) from app_usage_daily where app_id = " + app)).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> directory.findById(new AppId(app)).block(Duration.ofSeconds(5)) == null
                && directory.findByKey(key).block(Duration.ofSeconds(5)) == null);
    }

    @Test
    void nonNumericAppIdsAreRefusedAsInvalid() {
        TestAccount owner = signUp();
        owner.api().get().uri("/api/v1/apps/abc").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("appId")
                .jsonPath("$.errors[0].message").isEqualTo("must be an integer");
    }

    private AppConfig found(AppId id) {
        return directory.findById(id).block(Duration.ofSeconds(5));
    }

    private static void patchFails(TestAccount owner, long app, Map<String, ?> body, String field, String message) {
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://vask.dev/problems/validation")
                .jsonPath("$.errors[0].field").isEqualTo(field)
                .jsonPath("$.errors[0].message").isEqualTo(message);
    }

    static int count(String sql) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
