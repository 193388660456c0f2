package dev.vask.realtime.cache;

/**
 * The last event published on a cache channel.
 *
 * @param event the event name
 * @param dataJson the data as JSON text (a quoted string, as published)
 * @param expiresAtMillis epoch millis after which it is gone
 */
public record CachedEvent(String event, String dataJson, long expiresAtMillis) {

    /** Seconds left before it expires, at {@code nowMillis}. */
    public long ttlSeconds(long nowMillis) {
        return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }
}
