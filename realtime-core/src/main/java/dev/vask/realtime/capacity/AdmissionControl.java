package dev.vask.realtime.capacity;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Refuses new work before the process runs out of heap, direct memory or file descriptors, so that the
 * connections it already carries keep working: a process that refuses some clients for a while serves the others,
 * one that dies of {@link OutOfMemoryError} or cannot accept its own database connection serves nobody.
 *
 * <p>A sampling thread of its own reads the resources every {@link CapacityProperties#sampleInterval()} and keeps
 * the verdict in a field, so asking costs one volatile read: {@link #admitConnection()} for a new WebSocket
 * (refused with {@code pusher:error} 4100, whose clients reconnect with a back-off), {@link #admitSubscription()}
 * for a new subscription of an open socket (refused with a 503 subscription error), {@link #admitPublish()} for an
 * HTTP publish (refused with 503 and {@code Retry-After}). Refusals are counted by resource and surface. The verdict
 * changes (and is logged) only when a sample crosses a threshold, so it never flaps within a sample.
 *
 * <p>File descriptors are the one resource a burst can exhaust between two samples: sockets arrive by the hundred
 * per second, each holds a descriptor, and a process that has none left can no longer accept a socket to refuse it
 * (the client waits in the kernel's backlog), nor open a connection to its database. So a new WebSocket is checked
 * against the latest sample plus the server sockets accepted since ({@link ResourceReadings#sinceLatestReading}),
 * and refused as soon as that reaches the threshold, however late the next sample is. Closes since are not counted:
 * it errs towards refusing, for at most one sample interval.
 */
public final class AdmissionControl implements MeterBinder, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AdmissionControl.class);
    /** Over capacity for heap with no garbage collection for this long: the figure may be stale, collect once. */
    private static final java.time.Duration IDLE_BEFORE_COLLECTING = java.time.Duration.ofSeconds(10);

    /** Where new work arrives. */
    public enum Surface {
        WEBSOCKET("websocket"), SUBSCRIPTION("subscription"), PUBLISH("publish");

        private final String tag;

        Surface(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final CapacityProperties properties;
    private final ResourceReadings readings;
    /** The latest sample, by resource ordinal; replaced whole, so a reader never sees half a sample. */
    private volatile double[] latest = new double[Resource.values().length];
    private final LongAdder[][] refusals = new LongAdder[Surface.values().length][Resource.values().length];
    private volatile @Nullable Overload overload;
    private @Nullable ScheduledExecutorService sampler;

    public AdmissionControl(CapacityProperties properties, ResourceReadings readings) {
        this.properties = properties;
        this.readings = readings;
        for (int s = 0; s < refusals.length; s++) {
            for (int r = 0; r < refusals[s].length; r++) {
                refusals[s][r] = new LongAdder();
            }
        }
    }

    /**
     * Empty when a new WebSocket may be accepted; otherwise what ran short (and the refusal is counted). Besides the
     * verdict, the server sockets accepted since the latest sample count against the file-descriptor threshold.
     */
    public Optional<Overload> admitConnection() {
        Optional<Overload> verdict = admit(Surface.WEBSOCKET);
        if (verdict.isPresent()) {
            return verdict;
        }
        double threshold = properties.threshold(Resource.FILE_DESCRIPTORS);
        double now = latest[Resource.FILE_DESCRIPTORS.ordinal()] + readings.sinceLatestReading(Resource.FILE_DESCRIPTORS);
        if (now >= threshold) {
            refusals[Surface.WEBSOCKET.ordinal()][Resource.FILE_DESCRIPTORS.ordinal()].increment();
            return Optional.of(new Overload(Resource.FILE_DESCRIPTORS, now, threshold));
        }
        return Optional.empty();
    }

    /**
     * Empty when an open socket may subscribe to another channel; otherwise what ran short (and the refusal is
     * counted). The socket keeps its subscriptions and is told {@code pusher:subscription_error} with status 503.
     */
    public Optional<Overload> admitSubscription() {
        return admit(Surface.SUBSCRIPTION);
    }

    /** Empty when an HTTP publish may be taken; otherwise what ran short (and the refusal is counted). */
    public Optional<Overload> admitPublish() {
        return admit(Surface.PUBLISH);
    }

    private Optional<Overload> admit(Surface surface) {
        Overload current = overload;
        if (current == null) {
            return Optional.empty();
        }
        refusals[surface.ordinal()][current.resource().ordinal()].increment();
        return Optional.of(current);
    }

    /** What a refused HTTP publish is told to wait before retrying. */
    public java.time.Duration retryAfter() {
        return properties.retryAfter();
    }

    /** Refusals so far of work arriving on the surface for want of the resource. */
    public long refusals(Surface surface, Resource resource) {
        return refusals[surface.ordinal()][resource.ordinal()].sum();
    }

    /** The current verdict: null while everything is under its threshold. */
    public @Nullable Overload overload() {
        return overload;
    }

    /** Reads every resource once and updates the verdict. Runs on the sampling thread (and in tests). */
    public synchronized void sample() {
        Overload worst = null;
        double[] sampled = new double[Resource.values().length];
        for (Resource resource : Resource.values()) {
            double used = readings.used(resource);
            sampled[resource.ordinal()] = used;
            double threshold = properties.threshold(resource);
            if (used >= threshold && (worst == null || used / threshold > worst.used() / worst.threshold())) {
                worst = new Overload(resource, used, threshold);
            }
        }
        latest = sampled;
        if (worst != null && worst.resource() == Resource.HEAP) {
            readings.collectIfIdle(IDLE_BEFORE_COLLECTING);
        }
        Overload before = overload;
        overload = worst;
        if (worst != null && (before == null || before.resource() != worst.resource())) {
            log.atWarn().addKeyValue("resource", worst.resource().tag())
                    .log("Over capacity ({}): refusing new WebSockets (4100), subscriptions and HTTP publishes (503)", worst);
        }
        else if (worst == null && before != null) {
            log.atInfo().log("Back under capacity: accepting new WebSockets, subscriptions and HTTP publishes again");
        }
    }

    /** The share of the resource's limit in use at the latest sample. */
    public double used(Resource resource) {
        return latest[resource.ordinal()];
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Resource resource : Resource.values()) {
            Gauge.builder("vask.capacity.usage", this, control -> control.used(resource)).tag("resource", resource.tag())
                    .description("Share of the resource's limit in use, as admission control last sampled it").register(registry);
            Gauge.builder("vask.capacity.threshold", properties, p -> p.threshold(resource)).tag("resource", resource.tag())
                    .description("Share of the resource's limit past which new WebSockets and HTTP publishes are refused").register(registry);
            for (Surface surface : Surface.values()) {
                FunctionCounter.builder("vask.capacity.refusals", this, control -> control.refusals(surface, resource))
                        .tag("resource", resource.tag()).tag("surface", surface.tag())
                        .description("New WebSockets (4100) and HTTP publishes (503) refused because the resource was short")
                        .register(registry);
            }
        }
        Gauge.builder("vask.capacity.overloaded", this, control -> control.overload() == null ? 0 : 1)
                .description("1 while new WebSockets and HTTP publishes are refused").register(registry);
        Gauge.builder("vask.capacity.event.loops", properties, CapacityProperties::eventLoopCount)
                .description("Event loops (threads) carrying the server port's sockets").register(registry);
    }

    // ---- lifecycle: the sampling thread ----

    @Override
    public synchronized void start() {
        if (sampler != null) {
            return;
        }
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "vask-capacity-sampler");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, properties.sampleInterval().toMillis());
        thread.scheduleWithFixedDelay(() -> {
            try {
                sample();
            }
            catch (RuntimeException e) {
                log.atWarn().log("Sampling resources failed: {}", e.toString());
            }
        }, 0, every, TimeUnit.MILLISECONDS);
        sampler = thread;
    }

    @Override
    public synchronized void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sampler != null;
    }
}
