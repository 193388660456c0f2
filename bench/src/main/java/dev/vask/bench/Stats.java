package dev.vask.bench;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What the receiving sockets saw. Touched only on the load generator's one event loop, so plain fields;
 * the main thread reads a {@link Snapshot} taken on that loop.
 */
final class Stats {

    /** Event frames received by subscribed sockets, since the load generator started. */
    long deliveries;
    /** Publish-to-receive latency in microseconds, recorded only while {@link #recording}. */
    final Histogram latency = new Histogram(3);
    boolean recording;
    long errors;
    @Nullable String firstError;
    long unexpectedCloses;
    @Nullable String firstUnexpectedClose;

    void error(String text) {
        errors++;
        if (firstError == null) {
            firstError = text;
        }
    }

    void unexpectedClose(String why) {
        unexpectedCloses++;
        if (firstUnexpectedClose == null) {
            firstUnexpectedClose = why;
        }
    }

    Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), deliveries, errors, unexpectedCloses);
    }

    record Snapshot(long nanos, long deliveries, long errors, long unexpectedCloses) {
    }
}
