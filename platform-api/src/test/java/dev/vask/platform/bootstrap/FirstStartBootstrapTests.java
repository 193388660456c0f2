package dev.vask.platform.bootstrap;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import dev.vask.platform.PlatformTestApplication;
import dev.vask.platform.PlatformTestDatabase;
import dev.vask.platform.schema.SchemaHealthIndicator;
import dev.vask.testing.database.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class FirstStartBootstrapTests {

    @Test
    void firstStartCreatesTenantAdminAndDemoAppAndSecondStartCreatesNothing(CapturedOutput output) throws Exception {
        TestDatabase database = TestDatabase.create();
        try (ConfigurableApplicationContext first = start(database, Map.of())) {
            FirstStart outcome = first.getBean(FirstStartBootstrap.class).outcome().orElseThrow();
            assertThat(outcome.created()).isTrue();
            assertThat(outcome.generatedSecret()).isNotNull().hasSize(32);
            assertThat(outcome.generatedAdminPassword()).isNotNull().hasSize(20);
            PasswordEncoder passwords = first.getBean(PasswordEncoder.class);
            assertThat(passwords.matches(outcome.generatedAdminPassword(), adminPasswordHash(database))).isTrue();
        }
        // usable at once, with no mail: the operator chose the address, and the admin runs this Vask
        database.execute("do $$ begin if not exists (select 1 from accounts where email_verified_at is not null and operator) "
                + "then raise exception 'admin is not a verified operator'; end if; end $$");
        assertThat(counts(database)).isEqualTo("tenants=1 accounts=1 members=1 apps=1 keys=1 migrations=" + SchemaHealthIndicator.latestShippedVersion());

        try (ConfigurableApplicationContext second = start(database, Map.of())) {
            FirstStart outcome = second.getBean(FirstStartBootstrap.class).outcome().orElseThrow();
            assertThat(outcome.created()).isFalse();
            assertThat(outcome.generatedSecret()).isNull();
            assertThat(outcome.generatedAdminPassword()).isNull();
        }
        assertThat(counts(database)).isEqualTo("tenants=1 accounts=1 members=1 apps=1 keys=1 migrations=" + SchemaHealthIndicator.latestShippedVersion());
    }

    @Test
    void bootstrapCredentialsFixTheDemoAppAndAreNeverPrinted(CapturedOutput output) throws Exception {
        TestDatabase database = TestDatabase.create();
        Map<String, Object> fixed = Map.of("vask.bootstrap.app-id", "777", "vask.bootstrap.app-key", "app-key",
                "vask.bootstrap.app-secret", "app-secret-value", "vask.bootstrap.admin-password", "correct horse");
        try (ConfigurableApplicationContext context = start(database, fixed)) {
            FirstStart outcome = context.getBean(FirstStartBootstrap.class).outcome().orElseThrow();
            assertThat(outcome.appId()).isEqualTo(777);
            assertThat(outcome.appKey()).isEqualTo("app-key");
            assertThat(ConnectionBanner.render(outcome, java.net.URI.create("http://localhost:6001")))
                    .contains("App id:      777", "App key:     app-key", "ws://localhost:6001/app/app-key?protocol=7",
                            "http://localhost:6001/apps/777/events", "(the one you set in VASK_BOOTSTRAP_APP_SECRET)")
                    .doesNotContain("app-secret-value", "correct horse");
        }
        assertThat(output).doesNotContain("app-secret-value").doesNotContain("correct horse");
        // the sequence moved past the hand-picked id: the next app never collides with it
        database.execute("insert into apps (tenant_id, name) select id, 'next' from tenants");
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select max(id) from apps")) {
            rows.next();
            assertThat(rows.getLong(1)).isGreaterThan(100000);
        }
    }

    @Test
    void firstStartBannerShowsGeneratedSecretsOnceAndLaterStartsOnlyTheUrls() {
        FirstStart first = new FirstStart(true, 100001, "abc", "s3cr3t", "admin@vask.local", "pw");
        FirstStart later = new FirstStart(false, 100001, "abc", null, null, null);
        java.net.URI base = java.net.URI.create("https://vask.example.com");
        assertThat(ConnectionBanner.render(first, base)).contains("s3cr3t", "admin@vask.local / pw", "wss://vask.example.com/app/abc",
                "https://vask.example.com/dashboard", "shown only now");
        assertThat(ConnectionBanner.render(later, base)).contains("wss://vask.example.com/app/abc?protocol=7",
                "https://vask.example.com/apps/100001/events").doesNotContain("s3cr3t", "Admin login", "First start");
    }

    @Test
    void nonNumericBootstrapAppIdStopsStartUpWithItsMessage(CapturedOutput output) {
        TestDatabase database = TestDatabase.create();
        assertThatThrownBy(() -> start(database, Map.of("vask.bootstrap.app-id", "app-id")).close())
                .hasRootCauseInstanceOf(BootstrapException.class);
        assertThat(output).contains("VASK_BOOTSTRAP_APP_ID 'app-id' is not a positive number.");
    }

    @Test
    void allDigitBootstrapAppKeyIsRefused(CapturedOutput output) {
        TestDatabase database = TestDatabase.create();
        assertThatThrownBy(() -> start(database, Map.of("vask.bootstrap.app-key", "12345")).close())
                .hasRootCauseInstanceOf(BootstrapException.class);
        assertThat(output).contains("VASK_BOOTSTRAP_APP_KEY '12345' is not a valid app key.");
    }

    private static ConfigurableApplicationContext start(TestDatabase database, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("vask.master-key", PlatformTestDatabase.MASTER_KEY);
        properties.putAll(extra);
        return new SpringApplicationBuilder(PlatformTestApplication.class).web(WebApplicationType.NONE)
                .properties(properties).run();
    }

    private static String adminPasswordHash(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select password_hash from accounts")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String counts(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        select (select count(*) from tenants), (select count(*) from accounts), (select count(*) from tenant_members),
                               (select count(*) from apps), (select count(*) from app_keys),
                               (select count(*) from flyway_schema_history where version is not null)""")) {
            rows.next();
            return "tenants=" + rows.getInt(1) + " accounts=" + rows.getInt(2) + " members=" + rows.getInt(3)
                    + " apps=" + rows.getInt(4) + " keys=" + rows.getInt(5) + " migrations=" + rows.getInt(6);
        }
    }
}
