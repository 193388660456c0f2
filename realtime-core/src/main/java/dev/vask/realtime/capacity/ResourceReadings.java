package dev.vask.realtime.capacity;

/**
 * Reads how much of each resource the process uses, as a share of its limit (0 to 1; 0 when unknown). Called
 * from admission control's own sampling thread, never from an event loop: reading open file descriptors lists
 * {@code /proc/self/fd}.
 */
public interface ResourceReadings {

    /** The share of the resource's limit in use. */
    double used(Resource resource);
}
