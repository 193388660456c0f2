package dev.vask.platform.frontdoor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times the front door's requests in {@code http.server.requests}, under the tags WebFlux's server observation gives
 * the same requests ({@code exception, method, outcome, status, uri} and the observation handler's {@code error}), so
 * dashboards and alerts see one series per route whichever road served it. A test holds the tag names equal.
 * Timers are looked up once per route and status.
 */
final class RequestTimers {

    static final String NAME = "http.server.requests";

    private final MeterRegistry registry;
    /** Per route, one timer per status (100 to 599), registered the first time it is needed. */
    private final Map<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

    RequestTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String uriTemplate, int status, long nanos) {
        AtomicReferenceArray<Timer> byStatus = timers.computeIfAbsent(uriTemplate, route -> new AtomicReferenceArray<>(500));
        Timer timer = byStatus.get(status - 100);
        if (timer == null) {
            timer = register(uriTemplate, status);
            byStatus.set(status - 100, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer register(String uriTemplate, int status) {
        return Timer.builder(NAME)
                .tag("exception", "none")
                .tag("method", "POST")
                .tag("outcome", outcome(status))
                .tag("status", Integer.toString(status))
                .tag("uri", uriTemplate)
                .tag("error", "none")
                .register(registry);
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }
}
