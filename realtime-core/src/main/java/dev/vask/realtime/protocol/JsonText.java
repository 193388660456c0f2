package dev.vask.realtime.protocol;

/**
 * Writes JSON string literals. The hot path builds frames with it instead of a JSON library: a frame
 * is text around verbatim {@code data}, and data is never parsed or re-serialized.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /**
     * The size of an event's {@code data} as Pusher counts it, from the data's JSON text: a string counts the
     * UTF-8 bytes of its value (no quotes, escapes decoded), any other value the UTF-8 bytes of its text.
     * The text must be valid JSON (the frame parser has checked it).
     */
    public static int dataBytes(String json) {
        int length = json.length();
        if (length < 2 || json.charAt(0) != '"') {
            return utf8Bytes(json, 0, length);
        }
        int bytes = 0;
        for (int i = 1; i < length - 1; i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                char escape = json.charAt(++i);
                if (escape != 'u') {
                    bytes++; // \n \t \" \\ \/ \b \f \r: one byte each
                    continue;
                }
                c = (char) Integer.parseInt(json, i + 1, i + 5, 16);
                i += 4;
            }
            bytes += utf8Bytes(c);
        }
        return bytes;
    }

    private static int utf8Bytes(CharSequence text, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; i++) {
            bytes += utf8Bytes(text.charAt(i));
        }
        return bytes;
    }

    /** One UTF-16 unit's share of the UTF-8 encoding: a surrogate pair is 4 bytes, 2 for each half. */
    private static int utf8Bytes(char c) {
        return c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }

    /** {@code value} as a JSON string literal, quotes included. */
    public static String quote(CharSequence value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        appendQuoted(out, value);
        return out.toString();
    }

    /**
     * Appends {@code value} as a JSON string literal. Control characters and unpaired surrogates are
     * escaped as {@code \\uXXXX}, so the result is valid JSON and valid UTF-8 whatever the input.
     */
    public static StringBuilder appendQuoted(StringBuilder out, CharSequence value) {
        out.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(out, c);
                    }
                    else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    }
                    else if (Character.isSurrogate(c)) {
                        unicodeEscape(out, c);
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
