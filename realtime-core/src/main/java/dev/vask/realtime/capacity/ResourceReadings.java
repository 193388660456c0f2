package dev.vask.realtime.capacity;

/**
 * Reads how much of each resource the process uses, as a share of its limit (0 to 1; 0 when unknown). Called
 * from admission control's own sampling thread, never from an event loop: reading open file descriptors lists
 * {@code /proc/self/fd}.
 */
public interface ResourceReadings {

    /** The share of the resource's limit in use. */
    double used(Resource resource);

    /**
     * How far the share of the resource's limit may have grown since the latest {@link #used} reading, as far as that
     * can be followed at the cost of a few reads (file descriptors: the server sockets accepted since, closes not
     * counted, so it errs high); 0 when it cannot. Asked for every new WebSocket, on event loops.
     */
    default double sinceLatestReading(Resource resource) {
        return 0;
    }

    /**
     * Asks for a garbage collection when none has run for {@code idle}: heap is read as it was after the latest
     * collection, and a process that refuses work may allocate too little to collect again, so it would refuse
     * on a figure that freed memory has made stale. A process that keeps collecting is left to its collector.
     */
    default void collectIfIdle(java.time.Duration idle) {
    }
}
