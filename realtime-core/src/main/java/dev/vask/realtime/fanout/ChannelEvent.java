package dev.vask.realtime.fanout;

import java.util.Objects;

import dev.vask.realtime.app.AppId;
import org.jspecify.annotations.Nullable;

/**
 * One event on one channel, on its way to every subscriber in the cluster.
 *
 * @param app the app whose channel it is
 * @param channel the channel name (already validated)
 * @param event the event name
 * @param dataJson the {@code data} value as JSON text, written into frames verbatim: a quoted
 *        string for server events, the client's raw value for client events
 * @param userId the sender's user id, on client events of presence channels only
 * @param excludeSocketId the socket that must not receive it (the sender), if any
 * @param presenceVersion on member_added and member_removed, the membership version of the change (see
 *        {@code PresenceStore}); 0 on every other event
 */
public record ChannelEvent(AppId app, String channel, String event, String dataJson,
        @Nullable String userId, @Nullable String excludeSocketId, long presenceVersion) {

    public ChannelEvent(AppId app, String channel, String event, String dataJson, @Nullable String userId,
            @Nullable String excludeSocketId) {
        this(app, channel, event, dataJson, userId, excludeSocketId, 0);
    }

    public ChannelEvent {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(dataJson, "dataJson");
    }
}
