package dev.vask.platform.signature;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The query string of a Pusher HTTP API request, normalised once: every parameter name lower-cased,
 * every value decoded. The signature is computed over this map and every check and every handler reads
 * its values from it, so the values checked are always exactly the values signed.
 *
 * <p>Pusher signs the decoded parameters joined as {@code k=v&k=v} with names lower-cased. Three kinds of
 * query could make two different requests share one string to sign, and each is refused with 400:
 * <ul>
 * <li>two parameters whose names differ only in case ({@code body_md5} and {@code BODY_MD5}), or a repeated name;</li>
 * <li>a name outside {@code A-Z a-z 0-9 _ - .} (so no {@code =} or {@code &} and no Unicode case folding);</li>
 * <li>a value holding {@code &} once decoded (it would read as a parameter boundary in the string to sign).</li>
 * </ul>
 */
public final class SignedQuery {

    static final String SIGNATURE = "auth_signature";

    private final Map<String, String> params;

    private SignedQuery(Map<String, String> params) {
        this.params = Collections.unmodifiableMap(params);
    }

    /** @throws PusherApiException 400 for a repeated, case-clashing, badly named or undecodable parameter */
    public static SignedQuery parse(@Nullable String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new SignedQuery(params);
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            String normalised = normaliseName(name);
            if (value.indexOf('&') >= 0) {
                throw PusherApiException.badRequest("Query parameter " + PusherApiAuthentication.printable(normalised)
                        + " may not contain '&'");
            }
            if (params.putIfAbsent(normalised, value) != null) {
                throw PusherApiException.badRequest("Duplicate query parameter: " + normalised
                        + " (names are compared without regard to case)");
            }
        }
        return new SignedQuery(params);
    }

    /** The value of a parameter, by its lower-case name. */
    public @Nullable String param(String lowerCaseName) {
        return params.get(lowerCaseName);
    }

    /** Every parameter, names lower-cased, in the order received. */
    public Map<String, String> params() {
        return params;
    }

    /** Pusher's string to sign for this query: {@code METHOD\nPATH\n} and the sorted parameters but the signature. */
    String stringToSign(String method, String path) {
        return RequestSigning.stringToSignLowerCased(method, path, params);
    }

    private static String normaliseName(String name) {
        if (name.isEmpty()) {
            throw PusherApiException.badRequest("Query parameter with an empty name");
        }
        char[] chars = null; // copied at the first upper-case letter: the SDKs send lower-case names
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = name.toCharArray();
                }
                chars[i] = (char) (c + ('a' - 'A'));
            }
            else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')) {
                throw PusherApiException.badRequest("Invalid query parameter name " + PusherApiAuthentication.printable(name)
                        + ": use A-Z, a-z, 0-9, '_', '-' and '.'");
            }
        }
        return chars == null ? name : new String(chars);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw PusherApiException.badRequest("Malformed percent-encoding in the query string");
        }
    }
}
