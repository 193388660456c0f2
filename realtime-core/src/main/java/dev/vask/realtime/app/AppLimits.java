package dev.vask.realtime.app;

import org.jspecify.annotations.Nullable;

/**
 * The per-app limits, read on every use so that a change applies to new work at once.
 *
 * @param maxConnections open sockets at once; {@code null} means no limit (over it: 4004)
 * @param maxMessageBytes size of an event's data, for server and client events (default 10 KB)
 * @param clientEventsPerSecond client events per second per connection (default 10; over it: 4301)
 * @param maxPresenceMembers distinct users per presence channel (default 100)
 * @param maxMessagesPerDay messages accepted by the HTTP API per day; {@code null} means no quota
 */
public record AppLimits(@Nullable Integer maxConnections, int maxMessageBytes, int clientEventsPerSecond,
        int maxPresenceMembers, @Nullable Long maxMessagesPerDay) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024;
    public static final int DEFAULT_CLIENT_EVENTS_PER_SECOND = 10;
    public static final int DEFAULT_MAX_PRESENCE_MEMBERS = 100;

    public static final AppLimits DEFAULTS = new AppLimits(null, DEFAULT_MAX_MESSAGE_BYTES,
            DEFAULT_CLIENT_EVENTS_PER_SECOND, DEFAULT_MAX_PRESENCE_MEMBERS, null);

    public boolean allowsConnections(int open) {
        return maxConnections == null || open < maxConnections;
    }
}
