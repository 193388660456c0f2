package dev.vask.platform.push;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 8292 VAPID: an ES256 JWT ({@code aud} = the endpoint's origin, {@code exp} = 12 h ahead less a minute,
 * {@code sub} = the app's contact) signed with the app's key, its signature the 64-byte {@code R ‖ S} JWS wants,
 * sent as {@code Authorization: vapid t=<jwt>, k=<public key>}.
 *
 * <p>Signed headers are kept per (key id, audience, subject) and signed again when less than an hour of
 * validity is left; a rotation gives the app a new key id, so nothing signed with a destroyed key is reused.
 */
public final class VapidSigner {

    static final Duration LIFETIME = Duration.ofHours(12).minusMinutes(1);
    private static final Duration RESIGN_BEFORE = Duration.ofHours(1);
    private static final int MAX_CACHED = 10_000;
    private static final String HEADER = base64("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));

    private final Map<CacheKey, Signed> cache = new ConcurrentHashMap<>();

    /** The {@code Authorization} header value for a push to {@code endpoint}, signed with {@code key}. */
    public String authorization(VapidKey key, URI endpoint, String subject, Instant now) {
        String audience = audience(endpoint);
        CacheKey cacheKey = new CacheKey(key.id(), audience, subject);
        Signed signed = cache.get(cacheKey);
        if (signed == null || !now.plus(RESIGN_BEFORE).isBefore(signed.expires())) {
            Instant expires = now.plus(LIFETIME);
            signed = new Signed("vapid t=" + jwt(key, audience, subject, expires) + ", k=" + key.publicKeyText(), expires);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(cacheKey, signed);
        }
        return signed.header();
    }

    /** Drops every header signed with keys other than these (after a rotation). */
    public void forgetKey(long keyId) {
        cache.keySet().removeIf(key -> key.keyId() == keyId);
    }

    /** A signed token; ECDSA is randomised, so the same claims give a different token each time. */
    static String jwt(VapidKey key, String audience, String subject, Instant expires) {
        String claims = "{\"aud\":" + quote(audience) + ",\"exp\":" + expires.getEpochSecond() + ",\"sub\":" + quote(subject) + "}";
        String input = HEADER + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(key.privateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64(signature.sign());
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
    }

    /** The endpoint's origin: scheme and host, lower case, and the port only when it is not the scheme's default. */
    public static String audience(URI endpoint) {
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String base64(byte[] bytes) {
        return P256.base64url(bytes);
    }

    private record CacheKey(long keyId, String audience, String subject) {
    }

    private record Signed(String header, Instant expires) {
    }
}
