package dev.vask.platform.push;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Web Push delivery ({@code vask.push.*}; environment variables {@code VASK_PUSH_*}, see docs/configuration.md).
 *
 * @param allowedHosts hosts (names or address literals) that push endpoints may name although they are not public
 *        https hosts: for these, http is accepted and the address check is skipped. Empty in production; tests
 *        and benchmarks list their local push service here ({@code VASK_PUSH_ALLOWED_HOSTS=127.0.0.1})
 * @param subject the VAPID {@code sub} of apps that set none: {@code mailto:} or {@code https:} (default
 *        {@code mailto:webpush@vask.local}; set it to an address the push services can reach you at)
 * @param maxInFlight pushes this node has on the wire at once (default 256)
 * @param queueCapacity pushes waiting for a slot (default 10000); beyond it the push API answers 503 and
 *        fallback pushes are dropped and counted as failed, so memory stays bounded when push services are slow
 * @param maxAttempts attempts per push, the first included, on 429, 5xx and network errors (default 5)
 * @param retryBudget how long after its first attempt a push may still be retried (default 2 min)
 * @param firstBackoff the wait before the first retry, doubled for each further one, unless the push service
 *        names a longer one with Retry-After (default 1 s)
 * @param connectTimeout connecting to a push service (default 5 s)
 * @param responseTimeout waiting for a push service's answer (default 10 s)
 */
@ConfigurationProperties("vask.push")
public record PushProperties(@DefaultValue List<String> allowedHosts,
        @DefaultValue("mailto:webpush@vask.local") String subject,
        @DefaultValue("256") int maxInFlight,
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("2m") Duration retryBudget,
        @DefaultValue("1s") Duration firstBackoff,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration responseTimeout) {

    public PushProperties {
        allowedHosts = allowedHosts.stream().map(String::trim).filter(host -> !host.isEmpty())
                .map(host -> host.toLowerCase(Locale.ROOT)).toList();
        if (!subject.startsWith("mailto:") && !subject.startsWith("https://")) {
            throw new IllegalArgumentException("vask.push.subject must start with mailto: or https://, not " + subject);
        }
        if (maxInFlight < 1 || queueCapacity < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("vask.push.max-in-flight, queue-capacity and max-attempts must be at least 1");
        }
    }

    public static PushProperties defaults() {
        return new PushProperties(List.of(), "mailto:webpush@vask.local", 256, 10_000, 5, Duration.ofMinutes(2), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofSeconds(10));
    }
}
