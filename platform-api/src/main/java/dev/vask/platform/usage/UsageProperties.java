package dev.vask.platform.usage;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Usage counting ({@code vask.usage.*}).
 *
 * @param flushInterval how often each node adds its in-memory counts to Postgres (default 10 s). Usage
 *        figures lag by up to this much, and the daily message quota may be overshot by what the other
 *        nodes accepted within one interval.
 */
@ConfigurationProperties("vask.usage")
public record UsageProperties(@DefaultValue("10s") Duration flushInterval) {

    public UsageProperties {
        if (flushInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("vask.usage.flush-interval must be at least 100ms, not " + flushInterval);
        }
    }
}
