package dev.vask.platform.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import dev.vask.realtime.auth.SignatureVerifier;

/**
 * Pusher's HTTP request signature: HMAC-SHA256, keyed with the app secret, over
 * {@code METHOD\nPATH\nQUERY} where QUERY is every parameter but {@code auth_signature}, keys
 * lowercased and sorted, values decoded, joined as {@code k=v} with {@code &}.
 */
public final class RequestSigning {

    private RequestSigning() {
    }

    public static String stringToSign(String method, String path, Map<String, String> query) {
        Map<String, String> lowerCased = new HashMap<>(query.size() * 2);
        query.forEach((key, value) -> lowerCased.put(key.toLowerCase(Locale.ROOT), value));
        return stringToSignLowerCased(method, path, lowerCased);
    }

    /** {@link #stringToSign} for parameters whose names are lower-cased already ({@link SignedQuery}'s). */
    static String stringToSignLowerCased(String method, String path, Map<String, String> query) {
        String[] names = new String[query.size()];
        int count = 0;
        int length = method.length() + path.length() + 2;
        for (Map.Entry<String, String> param : query.entrySet()) {
            if (!param.getKey().equals(SignedQuery.SIGNATURE)) {
                names[count++] = param.getKey();
                length += param.getKey().length() + param.getValue().length() + 2;
            }
        }
        Arrays.sort(names, 0, count);
        StringBuilder text = new StringBuilder(length).append(method.toUpperCase(Locale.ROOT)).append('\n').append(path).append('\n');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append('&');
            }
            text.append(names[i]).append('=').append(query.get(names[i]));
        }
        return text.toString();
    }

    public static String sign(String secret, String stringToSign) {
        return SignatureVerifier.hmacHex(secret, stringToSign);
    }

    /** Lowercase hex MD5 of the exact body bytes received. */
    public static String md5Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }

    static boolean sameHex(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }
}
