package dev.vask.platform.account;

import java.time.Duration;
import java.util.Map;

import dev.vask.platform.mail.MailProperties;
import dev.vask.platform.plan.PlanProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The VASK_SMTP_*, VASK_PLAN_*, sign-up and cap variables of docs/configuration.md, bound to their settings. */
class AccountSettingsDefaultsTests {

    @Test
    void withoutVariablesNoMailIsSentAndTheDocumentedDefaultsHold() {
        StandardEnvironment environment = environment(Map.of());
        MailProperties mail = Binder.get(environment).bindOrCreate("vask.mail", MailProperties.class);
        assertThat(mail.host()).isNullOrEmpty();
        assertThat(mail.port()).isEqualTo(587);
        assertThat(mail.tls()).isEqualTo(MailProperties.Tls.STARTTLS);
        PlanProperties plans = Binder.get(environment).bindOrCreate("vask.plans", PlanProperties.class);
        assertThat(plans.maxTenantsPerAccount()).isEqualTo(5);
        assertThat(plans.maxAppsPerAccount()).isEqualTo(25);
        assertThat(plans.defaults().plan()).satisfies(plan -> {
            assertThat(plan.maxConnections()).isEqualTo(1000);
            assertThat(plan.maxMessageBytes()).isEqualTo(65536);
            assertThat(plan.maxMessagesPerDay()).isEqualTo(1_000_000L);
            assertThat(plan.clientEventsPerSecond()).isEqualTo(100);
            assertThat(plan.maxApps()).isEqualTo(10);
        });
        AccountProperties accounts = Binder.get(environment).bindOrCreate("vask.accounts", AccountProperties.class);
        assertThat(accounts.signupsPerAddress()).isEqualTo(10);
        assertThat(accounts.signupWindow()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theDocumentedVariablesChangeTheSettingsAndMinusOneMeansNoCeiling() {
        StandardEnvironment environment = environment(Map.of("VASK_SMTP_HOST", "smtp.example.com", "VASK_SMTP_PORT", "465",
                "VASK_SMTP_TLS", "tls", "VASK_PLAN_MAX_CONNECTIONS", "-1", "VASK_PLAN_MAX_MESSAGE_BYTES", "2048",
                "VASK_MAX_TENANTS_PER_ACCOUNT", "2", "VASK_SIGNUPS_PER_ADDRESS", "3"));
        MailProperties mail = Binder.get(environment).bindOrCreate("vask.mail", MailProperties.class);
        assertThat(mail.host()).isEqualTo("smtp.example.com");
        assertThat(mail.port()).isEqualTo(465);
        assertThat(mail.tls()).isEqualTo(MailProperties.Tls.TLS);
        PlanProperties plans = Binder.get(environment).bindOrCreate("vask.plans", PlanProperties.class);
        assertThat(plans.defaults().plan().maxConnections()).isNull();
        assertThat(plans.defaults().plan().maxMessageBytes()).isEqualTo(2048);
        assertThat(plans.maxTenantsPerAccount()).isEqualTo(2);
        assertThat(Binder.get(environment).bindOrCreate("vask.accounts", AccountProperties.class).signupsPerAddress()).isEqualTo(3);
    }

    private static StandardEnvironment environment(Map<String, Object> given) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("given", given));
        new AccountSettingsDefaults().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
