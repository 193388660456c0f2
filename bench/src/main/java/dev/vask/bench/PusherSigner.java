package dev.vask.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs Pusher HTTP API requests the way the official server SDKs do (protocol reference §7.2):
 * {@code auth_signature} is the hex HMAC-SHA256 of {@code METHOD\npath\nsorted-query}, with
 * {@code body_md5} in the query when there is a body. One instance per thread (it keeps its MAC).
 */
final class PusherSigner {

    private static final HexFormat HEX = HexFormat.of();

    private final String key;
    private final Mac mac;
    private final MessageDigest md5;

    PusherSigner(String key, String secret) {
        this.key = key;
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            this.mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            this.md5 = MessageDigest.getInstance("MD5");
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 and MD5 are part of every JDK", e);
        }
    }

    /** The query string (with {@code auth_signature} last) for a request with this body, signed at {@code timestamp}. */
    String signedQuery(String method, String path, byte[] body, long timestampSeconds) {
        return signedQuery(method, path, body, timestampSeconds, Map.of());
    }

    /** As above, with the request's own query parameters (URL-safe values only), which the signature covers too. */
    String signedQuery(String method, String path, byte[] body, long timestampSeconds, Map<String, String> extra) {
        Map<String, String> params = new TreeMap<>(extra);
        params.put("auth_key", key);
        params.put("auth_timestamp", Long.toString(timestampSeconds));
        params.put("auth_version", "1.0");
        if (body.length > 0) {
            params.put("body_md5", HEX.formatHex(md5.digest(body)));
        }
        StringBuilder query = new StringBuilder(160);
        params.forEach((name, value) -> {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(name).append('=').append(value);
        });
        String toSign = method + "\n" + path + "\n" + query;
        String signature = HEX.formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        return query.append("&auth_signature=").append(signature).toString();
    }

    /**
     * What a customer's auth endpoint answers for a private or presence channel, or a user sign-in: {@code key:}
     * and the hex HMAC-SHA256 of {@code stringToSign} ({@code socketId:channel[:channelData]}).
     */
    String auth(String stringToSign) {
        return key + ":" + HEX.formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }
}
