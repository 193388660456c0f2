package dev.vask.platform.channels;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.vask.platform.signature.PusherApiException;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.channel.ChannelType;
import org.jspecify.annotations.Nullable;

/**
 * The {@code info} attributes of the Pusher HTTP API, and the one rule every endpoint applies to them:
 * asking a channel for an attribute it does not have is a 400, as on Pusher. {@code user_count} is for
 * presence channels (on {@code POST /events}, {@code /batch_events} and {@code GET /channels/{c}} alike),
 * {@code cache} for cache channels; {@code subscription_count} is available on every channel.
 */
public final class InfoAttributes {

    public static final String USER_COUNT = "user_count";
    public static final String SUBSCRIPTION_COUNT = "subscription_count";
    public static final String CACHE = "cache";

    /** What an event may ask about its channels. */
    public static final List<String> FOR_EVENTS = List.of(USER_COUNT, SUBSCRIPTION_COUNT);
    /** What the channel list may ask about each occupied channel. */
    public static final List<String> FOR_CHANNEL_LIST = List.of(USER_COUNT, SUBSCRIPTION_COUNT);
    /** What a single channel may be asked. */
    public static final List<String> FOR_CHANNEL = List.of(USER_COUNT, SUBSCRIPTION_COUNT, CACHE);

    private InfoAttributes() {
    }

    /**
     * Parses a comma-separated {@code info} value.
     *
     * @param where a prefix locating the value in the request ({@code "batch[2]: "}), or empty
     * @throws PusherApiException 400 for an attribute outside {@code allowed}
     */
    public static Set<String> parse(@Nullable String info, List<String> allowed, String where) {
        if (info == null || info.isBlank()) {
            return Set.of();
        }
        Set<String> attributes = new LinkedHashSet<>();
        for (String part : info.split(",")) {
            String attribute = part.trim();
            if (!allowed.contains(attribute)) {
                throw PusherApiException.badRequest(where + "unknown info attribute '"
                        + (attribute.length() > 64 ? attribute.substring(0, 64) + "..." : attribute)
                        + "' (use " + String.join(", ", allowed) + ")");
            }
            attributes.add(attribute);
        }
        return attributes;
    }

    /** @throws PusherApiException 400 when one of the channels lacks an attribute asked for */
    public static void requireAvailable(Set<String> attributes, List<ChannelName> channels, String where) {
        for (ChannelName channel : channels) {
            if (attributes.contains(USER_COUNT) && channel.type() != ChannelType.PRESENCE) {
                throw PusherApiException.badRequest(where + "user_count is only available for presence channels"
                        + (channels.size() > 1 ? " (" + channel.value() + " is not one)" : ""));
            }
            if (attributes.contains(CACHE) && !channel.cache()) {
                throw PusherApiException.badRequest(where + "cache is only available for cache channels");
            }
        }
    }
}
