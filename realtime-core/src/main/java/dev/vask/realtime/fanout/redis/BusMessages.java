package dev.vask.realtime.fanout.redis;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.fanout.ChannelEvent;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChannelEvent} as one Redis pub/sub message: a header line of numbers, then the strings back to
 * back, so that the data passes through untouched (no JSON re-encoding) and decoding is a few substrings.
 *
 * <pre>{@code 1 <app> <presenceVersion> <publishedAtMicros> <len channel> <len event> <len data> <len userId|-1> <len exclude|-1>\n
 * <channel><event><data><userId><exclude>}</pre>
 */
final class BusMessages {

    private static final String VERSION = "1";

    private BusMessages() {
    }

    /** A decoded message and when it was published (epoch microseconds, the publisher's clock). */
    record Decoded(ChannelEvent event, long publishedAtMicros) {
    }

    static String encode(ChannelEvent event, long publishedAtMicros) {
        String userId = event.userId();
        String exclude = event.excludeSocketId();
        StringBuilder text = new StringBuilder(64 + event.channel().length() + event.event().length() + event.dataJson().length());
        text.append(VERSION).append(' ').append(event.app().value()).append(' ').append(event.presenceVersion()).append(' ')
                .append(publishedAtMicros).append(' ').append(event.channel().length()).append(' ').append(event.event().length())
                .append(' ').append(event.dataJson().length()).append(' ').append(userId == null ? -1 : userId.length())
                .append(' ').append(exclude == null ? -1 : exclude.length()).append('\n')
                .append(event.channel()).append(event.event()).append(event.dataJson());
        if (userId != null) {
            text.append(userId);
        }
        if (exclude != null) {
            text.append(exclude);
        }
        return text.toString();
    }

    /** Null for a message this version cannot read (a newer node's format): it is dropped, not misread. */
    static @Nullable Decoded decode(String message) {
        int newline = message.indexOf('\n');
        if (newline < 0) {
            return null;
        }
        String[] header = message.substring(0, newline).split(" ");
        if (header.length != 9 || !header[0].equals(VERSION)) {
            return null;
        }
        try {
            long app = Long.parseLong(header[1]);
            long presenceVersion = Long.parseLong(header[2]);
            long publishedAt = Long.parseLong(header[3]);
            int at = newline + 1;
            int channelLength = Integer.parseInt(header[4]);
            String channel = message.substring(at, at += channelLength);
            String event = message.substring(at, at += Integer.parseInt(header[5]));
            String data = message.substring(at, at += Integer.parseInt(header[6]));
            int userLength = Integer.parseInt(header[7]);
            String userId = userLength < 0 ? null : message.substring(at, at += userLength);
            int excludeLength = Integer.parseInt(header[8]);
            String exclude = excludeLength < 0 ? null : message.substring(at, at += excludeLength);
            if (at != message.length()) {
                return null;
            }
            return new Decoded(new ChannelEvent(new AppId(app), channel, event, data, userId, exclude, presenceVersion), publishedAt);
        }
        catch (RuntimeException malformed) {
            return null;
        }
    }
}
