package dev.vask.platform.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
        Map<String, String> sorted = new TreeMap<>();
        query.forEach((key, value) -> {
            String lower = key.toLowerCase(Locale.ROOT);
            if (!lower.equals("auth_signature")) {
                sorted.put(lower, value);
            }
        });
        String joined = sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        return method.toUpperCase(Locale.ROOT) + "\n" + path + "\n" + joined;
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
