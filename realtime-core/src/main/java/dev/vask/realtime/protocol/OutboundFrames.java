package dev.vask.realtime.protocol;

import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The JSON text of every frame the server sends. System frames differ on the wire: for
 * {@code pusher:connection_established} and {@code pusher_internal:*} events, {@code data} is a
 * JSON-encoded string; for {@code pusher:error}, {@code pusher:ping/pong} and
 * {@code pusher:signin_success} it is an object. This class is the one place that knows.
 */
public final class OutboundFrames {

    private OutboundFrames() {
    }

    /** An event on a channel; {@code dataJson} is the data value's JSON text, written verbatim. */
    public static String event(String event, String channel, String dataJson, @Nullable String userId) {
        StringBuilder out = new StringBuilder(48 + event.length() + channel.length() + dataJson.length());
        out.append("{\"event\":");
        JsonText.appendQuoted(out, event).append(",\"channel\":");
        JsonText.appendQuoted(out, channel).append(",\"data\":").append(dataJson);
        if (userId != null) {
            out.append(",\"user_id\":");
            JsonText.appendQuoted(out, userId);
        }
        return out.append('}').toString();
    }

    public static String connectionEstablished(String socketId, long activityTimeoutSeconds) {
        String data = "{\"socket_id\":" + JsonText.quote(socketId) + ",\"activity_timeout\":" + activityTimeoutSeconds + "}";
        return "{\"event\":\"" + PusherEvents.CONNECTION_ESTABLISHED + "\",\"data\":" + JsonText.quote(data) + "}";
    }

    /**
     * A connection-level event (no channel) whose data is the given JSON text as a JSON-encoded string, as
     * {@code pusher:connection_established} carries its data; pusher-js parses it back into an object.
     */
    public static String connectionEvent(String event, String dataJsonText) {
        StringBuilder out = new StringBuilder(32 + event.length() + dataJsonText.length() * 2);
        out.append("{\"event\":");
        JsonText.appendQuoted(out, event).append(",\"data\":");
        JsonText.appendQuoted(out, dataJsonText);
        return out.append('}').toString();
    }

    public static String error(PusherError error, String message) {
        return error(error.code(), message, null);
    }

    public static String error(@Nullable Integer code, String message, @Nullable String channel) {
        StringBuilder out = new StringBuilder(64 + message.length());
        out.append("{\"event\":\"").append(PusherEvents.ERROR).append('"');
        if (channel != null) {
            out.append(",\"channel\":");
            JsonText.appendQuoted(out, channel);
        }
        out.append(",\"data\":{\"code\":").append(code == null ? "null" : code.toString()).append(",\"message\":");
        JsonText.appendQuoted(out, message);
        return out.append("}}").toString();
    }

    /** The channel-scoped failure pusher-js hands to {@code channel.bind('pusher:subscription_error')}. */
    public static String subscriptionError(String channel, String type, String error, int status) {
        StringBuilder out = new StringBuilder(96 + error.length());
        out.append("{\"event\":\"").append(PusherEvents.SUBSCRIPTION_ERROR).append("\",\"channel\":");
        JsonText.appendQuoted(out, channel).append(",\"data\":{\"type\":");
        JsonText.appendQuoted(out, type).append(",\"error\":");
        JsonText.appendQuoted(out, error).append(",\"status\":").append(status);
        return out.append("}}").toString();
    }

    public static String ping() {
        return "{\"event\":\"" + PusherEvents.PING + "\",\"data\":{}}";
    }

    public static String pong() {
        return "{\"event\":\"" + PusherEvents.PONG + "\",\"data\":{}}";
    }

    public static String subscriptionSucceeded(String channel) {
        return event(PusherEvents.SUBSCRIPTION_SUCCEEDED, channel, "\"{}\"", null);
    }

    /** Presence: every distinct member, the subscriber included, as ids, hash and count. */
    public static String presenceSubscriptionSucceeded(String channel, Collection<Map.Entry<String, String>> members) {
        StringBuilder presence = new StringBuilder(32 + members.size() * 32);
        presence.append("{\"presence\":{\"ids\":[");
        boolean first = true;
        for (Map.Entry<String, String> member : members) {
            if (!first) {
                presence.append(',');
            }
            JsonText.appendQuoted(presence, member.getKey());
            first = false;
        }
        presence.append("],\"hash\":{");
        first = true;
        for (Map.Entry<String, String> member : members) {
            if (!first) {
                presence.append(',');
            }
            JsonText.appendQuoted(presence, member.getKey()).append(':').append(member.getValue());
            first = false;
        }
        presence.append("},\"count\":").append(members.size()).append("}}");
        return event(PusherEvents.SUBSCRIPTION_SUCCEEDED, channel, JsonText.quote(presence), null);
    }

    public static String memberAddedData(String userId, String userInfoJson) {
        return JsonText.quote("{\"user_id\":" + JsonText.quote(userId) + ",\"user_info\":" + userInfoJson + "}");
    }

    public static String memberRemovedData(String userId) {
        return JsonText.quote("{\"user_id\":" + JsonText.quote(userId) + "}");
    }

    public static String subscriptionCountData(long count) {
        return JsonText.quote("{\"subscription_count\":" + count + "}");
    }

    public static String cacheMiss(String channel) {
        return "{\"event\":\"" + PusherEvents.CACHE_MISS + "\",\"channel\":" + JsonText.quote(channel) + ",\"data\":\"{}\"}";
    }

    /** {@code user_data} is echoed as the exact string the client signed. */
    public static String signinSuccess(String userData) {
        return "{\"event\":\"" + PusherEvents.SIGNIN_SUCCESS + "\",\"data\":{\"user_data\":" + JsonText.quote(userData) + "}}";
    }

    /** Watchlist changes, as pusher-js's watchlist.ts reads them: data.events[] of {name, user_ids}. */
    public static String watchlistEvents(Collection<String> online, Collection<String> offline) {
        StringBuilder events = new StringBuilder("{\"events\":[");
        boolean any = false;
        if (!online.isEmpty()) {
            appendWatchlistEvent(events, "online", online);
            any = true;
        }
        if (!offline.isEmpty()) {
            if (any) {
                events.append(',');
            }
            appendWatchlistEvent(events, "offline", offline);
        }
        events.append("]}");
        return "{\"event\":\"" + PusherEvents.WATCHLIST_EVENTS + "\",\"data\":" + JsonText.quote(events) + "}";
    }

    private static void appendWatchlistEvent(StringBuilder out, String name, Collection<String> userIds) {
        out.append("{\"name\":\"").append(name).append("\",\"user_ids\":[");
        boolean first = true;
        for (String id : userIds) {
            if (!first) {
                out.append(',');
            }
            JsonText.appendQuoted(out, id);
            first = false;
        }
        out.append("]}");
    }
}
