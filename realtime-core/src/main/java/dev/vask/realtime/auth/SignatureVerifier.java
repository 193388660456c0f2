package dev.vask.realtime.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import org.jspecify.annotations.Nullable;

/**
 * The HMAC-SHA256 signatures of the Pusher protocol: channel auth ({@code socket_id:channel[:channel_data]}),
 * user sign-in ({@code socket_id::user::user_data}) and, for the HTTP API, any string to sign.
 *
 * <p>An {@code auth} value is {@code key:hex-signature}. The key must be one of the app's keys that
 * is not revoked (any of them, so secrets can be rolled); the signature is compared in constant time.
 */
public final class SignatureVerifier {

    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    });

    private SignatureVerifier() {
    }

    /** Lowercase hex HMAC-SHA256 of {@code text} under {@code secret}. */
    public static String hmacHex(String secret, String text) {
        Mac mac = MACS.get();
        try {
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("invalid HMAC key", e);
        }
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Constant-time comparison of two hex signatures (case-sensitive: Pusher signatures are lowercase). */
    public static boolean sameSignature(String expected, @Nullable String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    /** Verifies a private or presence channel auth for this socket (presence: channelData is the exact string sent). */
    public static boolean channelAuthValid(AppConfig app, @Nullable String auth, String socketId, String channel, @Nullable String channelData) {
        String toSign = channelData == null ? socketId + ":" + channel : socketId + ":" + channel + ":" + channelData;
        return authValid(app, auth, toSign);
    }

    /** Verifies a {@code pusher:signin} auth for this socket over the exact user_data string. */
    public static boolean userAuthValid(AppConfig app, @Nullable String auth, String socketId, String userData) {
        return authValid(app, auth, socketId + "::user::" + userData);
    }

    private static boolean authValid(AppConfig app, @Nullable String auth, String toSign) {
        if (auth == null) {
            return false;
        }
        int colon = auth.indexOf(':');
        if (colon <= 0 || colon == auth.length() - 1) {
            return false;
        }
        Optional<AppCredential> credential = app.credential(auth.substring(0, colon));
        return credential.isPresent() && sameSignature(hmacHex(credential.get().secret(), toSign), auth.substring(colon + 1));
    }
}
