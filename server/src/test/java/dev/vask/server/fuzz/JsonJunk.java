package dev.vask.server.fuzz;

import java.util.List;

import dev.vask.realtime.protocol.JsonText;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated JSON text that parsers trip on: every type where another is expected, nulls, numbers beyond
 * double and long, strings with escapes, control characters and lone surrogates, deep nesting, and the
 * near-valid texts one edit away from a good message.
 */
final class JsonJunk {

    private JsonJunk() {
    }

    static Arbitrary<String> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e999", "-1e999", "1E-400", "9223372036854775808",
                        "123456789012345678901234567890", "2147483648", "-2147483649", "0.1e1", "\"\"", "\"0\"", "\"null\"",
                        "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\u00e9\u20ac\ud83d\ude00\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
                        "\"2026-12-06T01:00:00Z\"", "\"2026-13-45T99:99:99Z\"", "1764982800", "\"read\"", "\"write\"", "\"owner\""),
                Arbitraries.strings().ofMaxLength(40).map(JsonJunk::quote),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(300).ofMaxLength(5000).map(JsonJunk::quote),
                Arbitraries.longs().map(l -> Long.toString(l)),
                Arbitraries.doubles().map(d -> Double.toString(d)).filter(d -> !d.contains("Infinity") && !d.contains("NaN")));
    }

    /** Any JSON value, objects keyed from {@code names}, nested up to {@code depth}. */
    static Arbitrary<String> value(List<String> names, int depth) {
        if (depth <= 0) {
            return scalar();
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> value(names, depth - 1));
        Arbitrary<String> object = Combinators.combine(Arbitraries.of(names), inner).as((k, v) -> quote(k) + ":" + v)
                .list().ofMaxSize(5).map(members -> "{" + String.join(",", members) + "}");
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalar()), net.jqwik.api.Tuple.of(3, object), net.jqwik.api.Tuple.of(1, array),
                net.jqwik.api.Tuple.of(1, deeplyNested()));
    }

    /** Arrays or objects nested far past any sensible depth (parsers limit it; they must refuse, not fail). */
    static Arbitrary<String> deeplyNested() {
        return Combinators.combine(Arbitraries.integers().between(100, 5000), Arbitraries.of("[", "{\"a\":"))
                .as((depth, open) -> open.repeat(depth) + "1" + (open.equals("[") ? "]" : "}").repeat(depth));
    }

    /** A good text with one edit: a cut, an inserted character, a deleted character, or a doubled member. */
    static Arbitrary<String> mutated(Arbitrary<String> good) {
        return Combinators.combine(good, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10_000),
                Arbitraries.chars().ascii()).as((text, kind, at, c) -> {
                    if (text.isEmpty()) {
                        return text;
                    }
                    int i = at % text.length();
                    return switch (kind) {
                        case 0 -> text.substring(0, i);
                        case 1 -> text.substring(0, i) + c + text.substring(i);
                        case 2 -> text.substring(0, i) + text.substring(i + 1);
                        default -> text.startsWith("{") && text.length() > 2
                                ? "{" + text.substring(1, text.length() - 1) + "," + text.substring(1, text.length() - 1) + "}" : text;
                    };
                });
    }

    /** A JSON string literal (Vask's own quoting, which escapes what JSON requires and lone surrogates). */
    static String quote(String text) {
        return JsonText.quote(text);
    }
}
