package dev.vask.platform.web;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may scrape {@code /actuator/prometheus} ({@code vask.metrics.*}; the operators' variable is
 * {@code VASK_METRICS_TOKEN}, see docs/configuration.md).
 *
 * @param token the bearer token Prometheus must send ({@code Authorization: Bearer <token>}); default none,
 *        which serves metrics only on a separate management port ({@code VASK_MANAGEMENT_PORT}), to
 *        anyone who reaches that port, and refuses them on the main port
 */
@ConfigurationProperties("vask.metrics")
record MetricsProperties(@Nullable String token) {

    MetricsProperties {
        token = token == null || token.isBlank() ? null : token.strip();
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("VASK_METRICS_TOKEN must be at least 16 characters (for example the output of "
                    + "'openssl rand -hex 32'), not " + token.length());
        }
    }
}
