package dev.vask.realtime.connection;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;

/** Numbers the event loops that carry sockets, so per-loop state can live in small arrays. */
final class EventLoops {

    private final Map<EventLoop, LoopConnections> loops = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final long sweepIntervalNanos;

    EventLoops(long sweepIntervalNanos) {
        this.sweepIntervalNanos = sweepIntervalNanos;
    }

    LoopConnections of(EventLoop loop) {
        LoopConnections known = loops.get(loop);
        return known != null ? known : loops.computeIfAbsent(loop, l -> new LoopConnections(l, next.getAndIncrement(), sweepIntervalNanos));
    }

    Collection<LoopConnections> all() {
        return loops.values();
    }
}
