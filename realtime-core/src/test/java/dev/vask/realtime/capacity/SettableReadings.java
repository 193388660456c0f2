package dev.vask.realtime.capacity;

import java.util.EnumMap;
import java.util.Map;

/** Readings a test sets, so that admission control can be driven past a threshold and back on demand. */
public final class SettableReadings implements ResourceReadings {

    private final Map<Resource, Double> used = new EnumMap<>(Resource.class);
    private final Map<Resource, Double> since = new EnumMap<>(Resource.class);

    public synchronized SettableReadings set(Resource resource, double share) {
        used.put(resource, share);
        return this;
    }

    /** How far the share has moved since the latest reading (file descriptors: sockets opened less closed since). */
    public synchronized SettableReadings since(Resource resource, double share) {
        since.put(resource, share);
        return this;
    }

    public synchronized SettableReadings clear() {
        used.clear();
        since.clear();
        return this;
    }

    @Override
    public synchronized double used(Resource resource) {
        return used.getOrDefault(resource, 0.0);
    }

    @Override
    public synchronized double sinceLatestReading(Resource resource) {
        return since.getOrDefault(resource, 0.0);
    }
}
