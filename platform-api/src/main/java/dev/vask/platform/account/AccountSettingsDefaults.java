package dev.vask.platform.account;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The {@code VASK_*} variables of accounts, mail and plans (docs/configuration.md), mapped onto
 * {@code vask.accounts.*}, {@code vask.mail.*} and {@code vask.plans.*} with the lowest precedence, so
 * that any Spring property the operator sets still wins.
 */
class AccountSettingsDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "vaskAccountSettingsDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("vask.mail.host", "${VASK_SMTP_HOST:}");
        defaults.put("vask.mail.port", "${VASK_SMTP_PORT:587}");
        defaults.put("vask.mail.username", "${VASK_SMTP_USERNAME:}");
        defaults.put("vask.mail.password", "${VASK_SMTP_PASSWORD:}");
        defaults.put("vask.mail.from", "${VASK_SMTP_FROM:Vask <no-reply@vask.local>}");
        defaults.put("vask.mail.tls", "${VASK_SMTP_TLS:starttls}");
        defaults.put("vask.accounts.signups-per-address", "${VASK_SIGNUPS_PER_ADDRESS:10}");
        defaults.put("vask.accounts.signup-window", "${VASK_SIGNUP_WINDOW:1h}");
        defaults.put("vask.plans.max-tenants-per-account", "${VASK_MAX_TENANTS_PER_ACCOUNT:5}");
        defaults.put("vask.plans.max-apps-per-account", "${VASK_MAX_APPS_PER_ACCOUNT:25}");
        defaults.put("vask.plans.defaults.max-connections", "${VASK_PLAN_MAX_CONNECTIONS:1000}");
        defaults.put("vask.plans.defaults.max-message-bytes", "${VASK_PLAN_MAX_MESSAGE_BYTES:65536}");
        defaults.put("vask.plans.defaults.max-messages-per-day", "${VASK_PLAN_MAX_MESSAGES_PER_DAY:1000000}");
        defaults.put("vask.plans.defaults.max-apps", "${VASK_PLAN_MAX_APPS:10}");
        defaults.put("vask.plans.defaults.client-events-per-second", "${VASK_PLAN_CLIENT_EVENTS_PER_SECOND:100}");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
