package dev.vask.realtime.connection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * The tasks waiting on the event loops that carry sockets: deliveries, flushes and closes handed over
 * from other threads. A loop that keeps up empties its queue between bursts; a queue that only grows
 * means it does not. Read from any thread (the queue sizes are a moment's approximation), so metrics
 * and the soak test (docs/performance.md) can watch it without touching the loops.
 */
public final class EventLoopBacklog implements MeterBinder {

    private final Hub hub;

    public EventLoopBacklog(Hub hub) {
        this.hub = hub;
    }

    /** Tasks queued on all the loops together; 0 before the first socket. */
    public int pendingTasks() {
        int pending = 0;
        for (LoopConnections loop : hub.loops.all()) {
            pending += pendingTasks(loop);
        }
        return pending;
    }

    /** Tasks queued on the busiest loop. */
    public int maxPendingTasks() {
        int max = 0;
        for (LoopConnections loop : hub.loops.all()) {
            max = Math.max(max, pendingTasks(loop));
        }
        return max;
    }

    private static int pendingTasks(LoopConnections loop) {
        // Netty's own loops are single-threaded executors; any other kind reports nothing rather than guess
        return loop.loop instanceof SingleThreadEventExecutor executor ? executor.pendingTasks() : 0;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("vask.realtime.eventloop.pending.tasks", this, EventLoopBacklog::pendingTasks)
                .description("Tasks queued on the event loops that carry WebSockets, all loops together").register(registry);
        Gauge.builder("vask.realtime.eventloop.pending.tasks.max", this, EventLoopBacklog::maxPendingTasks)
                .description("Tasks queued on the busiest event loop that carries WebSockets").register(registry);
    }
}
