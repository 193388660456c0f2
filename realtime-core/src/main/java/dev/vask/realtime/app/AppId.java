package dev.vask.realtime.app;

/**
 * The numeric id of an app, as the official server SDKs send it in {@code /apps/{app_id}/...}.
 */
public record AppId(long value) {

    public AppId {
        if (value <= 0) {
            throw new IllegalArgumentException("app id must be positive: " + value);
        }
    }

    /** Parses a decimal id; empty when the text is not a positive number. */
    public static java.util.Optional<AppId> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return java.util.Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return java.util.Optional.empty();
            }
        }
        long value = Long.parseLong(text);
        return value > 0 ? java.util.Optional.of(new AppId(value)) : java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
