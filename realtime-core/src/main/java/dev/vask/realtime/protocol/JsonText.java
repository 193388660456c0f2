package dev.vask.realtime.protocol;

/**
 * Writes JSON string literals. The hot path builds frames with it instead of a JSON library: a frame
 * is text around verbatim {@code data}, and data is never parsed or re-serialized.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
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
