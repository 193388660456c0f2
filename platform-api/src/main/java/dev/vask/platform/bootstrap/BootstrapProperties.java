package dev.vask.platform.bootstrap;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the first start creates when the database has no app yet.
 *
 * @param appId fixed id of the demo app ({@code VASK_BOOTSTRAP_APP_ID}); generated when absent
 * @param appKey fixed key of the demo app ({@code VASK_BOOTSTRAP_APP_KEY}); generated when absent
 * @param appSecret fixed secret of the demo app ({@code VASK_BOOTSTRAP_APP_SECRET}); generated when absent
 * @param adminEmail the admin account's email ({@code VASK_ADMIN_EMAIL}, default {@code admin@vask.local})
 * @param adminPassword the admin account's password ({@code VASK_ADMIN_PASSWORD}); generated when absent
 */
@ConfigurationProperties("vask.bootstrap")
public record BootstrapProperties(@Nullable String appId, @Nullable String appKey, @Nullable String appSecret,
        @DefaultValue("admin@vask.local") String adminEmail, @Nullable String adminPassword) {

    static @Nullable String given(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
