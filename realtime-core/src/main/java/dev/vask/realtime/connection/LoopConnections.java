package dev.vask.realtime.connection;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The connections of one event loop, touched only on that loop: no locks, four bytes per connection.
 * Its sweeper pings silent clients, closes the ones that do not answer, and enforces the sign-in timeout.
 */
final class LoopConnections {

    private static final Connection[] NONE = new Connection[0];

    final EventLoop loop;
    final int index;
    private final long sweepIntervalNanos;
    private Connection[] items = new Connection[16];
    private int size;
    private volatile int count;
    private ScheduledFuture<?> sweeper;
    /** Sockets written to but not yet flushed; flushed together at the end of the loop's turn. */
    private Connection[] unflushed = new Connection[16];
    private int unflushedCount;
    private boolean flushScheduled;
    private final Runnable flushTask = this::flushWritten;

    LoopConnections(EventLoop loop, int index, long sweepIntervalNanos) {
        this.loop = loop;
        this.index = index;
        this.sweepIntervalNanos = sweepIntervalNanos;
    }

    void add(Connection connection) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        connection.listIndex = size;
        items[size++] = connection;
        count = size;
        if (sweeper == null) {
            sweeper = loop.scheduleAtFixedRate(this::sweep, sweepIntervalNanos, sweepIntervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    void remove(Connection connection) {
        int i = connection.listIndex;
        if (i < 0 || i >= size || items[i] != connection) {
            return;
        }
        Connection last = items[--size];
        items[i] = last;
        last.listIndex = i;
        items[size] = null;
        connection.listIndex = -1;
        count = size;
        if (size < items.length / 4 && items.length > 16) {
            items = Arrays.copyOf(items, items.length / 2);
        }
    }

    /**
     * Flushes the socket once the loop has run every task of its current turn (Netty's tail tasks), so that a burst
     * of events costs one write syscall per socket, not one per event. When the loop is idle the flush runs right
     * after the current task: no added latency. A socket whose unflushed frames pass the write buffer's high mark is
     * flushed at once by {@link Connection#write}.
     */
    void flushSoon(Connection connection) {
        if (connection.awaitingFlush) {
            return;
        }
        connection.awaitingFlush = true;
        if (unflushedCount == unflushed.length) {
            unflushed = Arrays.copyOf(unflushed, unflushedCount * 2);
        }
        unflushed[unflushedCount++] = connection;
        if (!flushScheduled) {
            flushScheduled = true;
            if (loop instanceof SingleThreadEventLoop iterating) {
                iterating.executeAfterEventLoopIteration(flushTask); // after every task of this turn of the loop
            }
            else {
                loop.execute(flushTask);
            }
        }
    }

    private void flushWritten() {
        flushScheduled = false;
        int count = unflushedCount;
        unflushedCount = 0;
        for (int i = 0; i < count; i++) {
            Connection connection = unflushed[i];
            unflushed[i] = null;
            connection.awaitingFlush = false;
            connection.channel.flush();
        }
        if (unflushed.length > 1024 && count < unflushed.length / 4) {
            unflushed = new Connection[16];
        }
    }

    /** A copy, safe to iterate while connections close. Only on this loop. */
    Connection[] snapshot() {
        return size == 0 ? NONE : Arrays.copyOf(items, size);
    }

    int count() {
        return count;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Connection connection : snapshot()) {
            connection.sweep(now);
        }
    }
}
