package dev.vask.realtime.channel;

import java.util.Optional;

/**
 * A valid channel name and what it means. Names are 1 to {@value #MAX_LENGTH} characters from
 * {@code A-Z a-z 0-9 _ - = @ , . ;} (the official SDKs' rule; Pusher documents 164 as the portable
 * length). {@code #} is reserved: the only accepted name with it is {@code #server-to-user-{id}}.
 */
public record ChannelName(String value, ChannelType type, boolean cache) {

    public static final int MAX_LENGTH = 200;
    public static final String SERVER_TO_USER_PREFIX = "#server-to-user-";
    /**
     * Internal channels of the bus, never valid from a client or the HTTP API ({@code #} is not a channel
     * character): a user's termination (on the user's own topic) and an app's watchlist news.
     */
    public static final String TERMINATE_PREFIX = "#terminate-";
    public static final String WATCHLIST = "#watchlist";

    /** The channel's name, or empty with no explanation needed beyond "invalid channel name". */
    public static Optional<ChannelName> parse(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (name.startsWith(SERVER_TO_USER_PREFIX)) {
            String userId = name.substring(SERVER_TO_USER_PREFIX.length());
            return validCharacters(userId, 0) && !userId.isEmpty()
                    ? Optional.of(new ChannelName(name, ChannelType.SERVER_TO_USER, false)) : Optional.empty();
        }
        if (!validCharacters(name, 0)) {
            return Optional.empty();
        }
        return Optional.of(classify(name));
    }

    /** Why a name is invalid, for error messages. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "Channel name is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "Channel name is longer than " + MAX_LENGTH + " characters";
        }
        return "Channel name may only contain A-Z, a-z, 0-9, '_', '-', '=', '@', ',', '.' and ';'";
    }

    /** The user id of a {@code #server-to-user-} channel. */
    public String serverToUserId() {
        return value.substring(SERVER_TO_USER_PREFIX.length());
    }

    private static ChannelName classify(String name) {
        if (name.startsWith("private-encrypted-cache-")) {
            return new ChannelName(name, ChannelType.ENCRYPTED, true);
        }
        if (name.startsWith("private-encrypted-")) {
            return new ChannelName(name, ChannelType.ENCRYPTED, false);
        }
        if (name.startsWith("private-cache-")) {
            return new ChannelName(name, ChannelType.PRIVATE, true);
        }
        if (name.startsWith("private-")) {
            return new ChannelName(name, ChannelType.PRIVATE, false);
        }
        if (name.startsWith("presence-cache-")) {
            return new ChannelName(name, ChannelType.PRESENCE, true);
        }
        if (name.startsWith("presence-")) {
            return new ChannelName(name, ChannelType.PRESENCE, false);
        }
        return new ChannelName(name, ChannelType.PUBLIC, name.startsWith("cache-"));
    }

    private static boolean validCharacters(String name, int from) {
        for (int i = from; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '=' || c == '@' || c == ',' || c == '.' || c == ';';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
