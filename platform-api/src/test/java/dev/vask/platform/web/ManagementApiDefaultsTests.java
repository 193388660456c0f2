package dev.vask.platform.web;

import java.time.Duration;
import java.util.Map;

import dev.vask.platform.management.ManagementProperties;
import dev.vask.platform.usage.UsageProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** The management API's defaults: docs under /api/v1, and the documented VASK_* variables bound to the settings. */
class ManagementApiDefaultsTests {

    @Test
    void withoutVariablesTheSettingsHaveTheirDocumentedDefaults() {
        StandardEnvironment environment = environment(Map.of());
        ManagementProperties management = Binder.get(environment).bindOrCreate("vask.management", ManagementProperties.class);
        assertThat(management.signupEnabled()).isTrue();
        assertThat(management.sessionLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(management.maxRequestSize()).isEqualTo(DataSize.ofKilobytes(64));
        assertThat(management.login().accountFailures()).isEqualTo(5);
        assertThat(management.login().addressFailures()).isEqualTo(20);
        assertThat(Binder.get(environment).bindOrCreate("vask.usage", UsageProperties.class).flushInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(environment.getProperty("springdoc.api-docs.path")).isEqualTo("/api/v1/openapi.json");
        assertThat(environment.getProperty("springdoc.swagger-ui.path")).isEqualTo("/api/v1/docs");
    }

    @Test
    void theDocumentedVariablesChangeTheSettingsAndSpringPropertiesStillWin() {
        StandardEnvironment environment = environment(Map.of("VASK_SIGNUP_ENABLED", "false", "VASK_LOGIN_ACCOUNT_FAILURES", "3",
                "VASK_USAGE_FLUSH_INTERVAL", "2s", "vask.management.session-lifetime", "1d", "VASK_SESSION_LIFETIME", "30d"));
        ManagementProperties management = Binder.get(environment).bindOrCreate("vask.management", ManagementProperties.class);
        assertThat(management.signupEnabled()).isFalse();
        assertThat(management.login().accountFailures()).isEqualTo(3);
        assertThat(management.sessionLifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(Binder.get(environment).bindOrCreate("vask.usage", UsageProperties.class).flushInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    private static StandardEnvironment environment(Map<String, Object> given) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("given", given));
        new ManagementApiDefaults().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
