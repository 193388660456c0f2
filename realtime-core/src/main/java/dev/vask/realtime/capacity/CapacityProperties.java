package dev.vask.realtime.capacity;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What one process may carry ({@code vask.capacity.*}, documented in docs/configuration.md): how many event loops
 * carry its sockets, and the thresholds of admission control. Each threshold is a share of what the process may
 * use; past it, new WebSockets are refused with 4100, new subscriptions of open sockets and HTTP publishes with 503,
 * until the figure falls back under it. Sockets already open are never closed for it (docs/adr/0004-admission-control.md).
 *
 * @param eventLoops event loops (threads) that carry every socket of the server port; default (absent): the CPUs
 *        this process may use, {@link Runtime#availableProcessors()}, which honours the container's CPU quota and
 *        the process's CPU affinity
 * @param heap share of the maximum heap ({@code -Xmx}) in use right after the latest garbage collection
 *        (default 0.85): what is left is the room a collection needs to keep running
 * @param directMemory share of the maximum direct memory ({@code -XX:MaxDirectMemorySize}, by default as large as
 *        {@code -Xmx}) held by Netty's buffers and the JDK's direct buffers (default 0.85)
 * @param fileDescriptors share of the process's open-file limit ({@code ulimit -n}) in use (default 0.9): the rest
 *        keeps room for the database, Redis, logs, and the sockets accepted between two samples
 * @param sampleInterval how often direct memory and file descriptors are sampled (default 250 ms); heap is read
 *        after every garbage collection
 * @param retryAfter what a refused HTTP publish is told in {@code Retry-After} (default 5 s)
 */
@Validated
@ConfigurationProperties("vask.capacity")
public record CapacityProperties(
        @Nullable @Min(1) Integer eventLoops,
        @DefaultValue("0.85") @DecimalMin("0.1") @DecimalMax("1.0") double heap,
        @DefaultValue("0.85") @DecimalMin("0.1") @DecimalMax("1.0") double directMemory,
        @DefaultValue("0.9") @DecimalMin("0.1") @DecimalMax("1.0") double fileDescriptors,
        @DefaultValue("250ms") Duration sampleInterval,
        @DefaultValue("5s") Duration retryAfter) {

    /** Defaults, for tests and embedding. */
    public static CapacityProperties defaults() {
        return new CapacityProperties(null, 0.85, 0.85, 0.9, Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    /** The number of event loops: the configured one, else the CPUs this process may use. */
    public int eventLoopCount() {
        return eventLoops != null ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    /** The threshold of the resource, as a share of its limit. */
    double threshold(Resource resource) {
        return switch (resource) {
            case HEAP -> heap;
            case DIRECT_MEMORY -> directMemory;
            case FILE_DESCRIPTORS -> fileDescriptors;
        };
    }
}
