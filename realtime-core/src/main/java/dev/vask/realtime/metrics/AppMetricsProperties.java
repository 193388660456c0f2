package dev.vask.realtime.metrics;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which apps get series of their own in Prometheus ({@code vask.metrics.apps.*}; see docs/ops/metrics.md).
 *
 * @param top how many of the busiest apps get {@code app="<id>"} series (default 50); the rest add up in
 *        {@code app="other"}. 0: only the apps in {@code include}
 * @param include app ids that always get series of their own, busy or not (default none)
 * @param rankInterval how often the busiest apps are ranked again, by what they sent and received since the last
 *        ranking (default 1 min)
 */
@Validated
@ConfigurationProperties("vask.metrics.apps")
public record AppMetricsProperties(
        @DefaultValue("50") @Min(0) int top,
        @DefaultValue List<Long> include,
        @DefaultValue("1m") Duration rankInterval) {

    public static AppMetricsProperties defaults() {
        return new AppMetricsProperties(50, List.of(), Duration.ofMinutes(1));
    }
}
