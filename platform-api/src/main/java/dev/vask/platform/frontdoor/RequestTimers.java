package dev.vask.platform.frontdoor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RequestTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String uriTemplate, int status, long nanos) {
        timers.computeIfAbsent(uriTemplate + ' ' + status, key -> Timer.builder(NAME)
                .tag("exception", "none")
                .tag("method", "POST")
                .tag("outcome", outcome(status))
                .tag("status", Integer.toString(status))
                .tag("uri", uriTemplate)
                .tag("error", "none")
                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
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
