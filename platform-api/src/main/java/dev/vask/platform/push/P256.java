package dev.vask.platform.push;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * P-256 keys in the encodings Web Push uses: public keys as the 65-byte uncompressed point
 * ({@code 0x04 ‖ X ‖ Y}), private keys as the 32-byte big-endian scalar, both with fixed-width coordinates
 * (a {@link BigInteger} may carry a sign byte or drop leading zeros), text as base64url without padding.
 */
public final class P256 {

    public static final int PUBLIC_KEY_BYTES = 65;
    public static final int PRIVATE_KEY_BYTES = 32;
    private static final ECParameterSpec PARAMS = params();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private P256() {
    }

    public static ECParameterSpec params() {
        if (PARAMS != null) {
            return PARAMS;
        }
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available in this JVM", e);
        }
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available in this JVM", e);
        }
    }

    public static byte[] encodePublic(ECPublicKey key) {
        byte[] out = new byte[PUBLIC_KEY_BYTES];
        out[0] = 0x04;
        fixed(key.getW().getAffineX(), out, 1);
        fixed(key.getW().getAffineY(), out, 33);
        return out;
    }

    public static byte[] encodePrivate(ECPrivateKey key) {
        byte[] out = new byte[PRIVATE_KEY_BYTES];
        fixed(key.getS(), out, 0);
        return out;
    }

    /**
     * @throws IllegalArgumentException when the bytes are not an uncompressed point on P-256
     */
    public static ECPublicKey decodePublic(byte[] raw) {
        if (raw.length != PUBLIC_KEY_BYTES || raw[0] != 0x04) {
            throw new IllegalArgumentException("not a 65-byte uncompressed P-256 point");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(raw, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(raw, 33, 65));
        if (!onCurve(x, y)) {
            throw new IllegalArgumentException("the point is not on the P-256 curve");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params()));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid P-256 public key", e);
        }
    }

    public static ECPrivateKey decodePrivate(byte[] scalar) {
        if (scalar.length != PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException("a P-256 private key is 32 bytes, not " + scalar.length);
        }
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), params()));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a valid P-256 private key", e);
        }
    }

    /** Base64url without padding, as browsers, push services and Vask's API emit keys. */
    public static String base64url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    /**
     * Base64url with or without trailing padding, as Vask accepts keys.
     *
     * @throws IllegalArgumentException on characters outside the URL-safe alphabet
     */
    public static byte[] fromBase64url(String text) {
        return Base64.getUrlDecoder().decode(text);
    }

    /** y² = x³ - 3x + b (mod p), with both coordinates in the field. */
    private static boolean onCurve(BigInteger x, BigInteger y) {
        ECParameterSpec spec = params();
        BigInteger p = ((java.security.spec.ECFieldFp) spec.getCurve().getField()).getP();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        return left.equals(right);
    }

    private static void fixed(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 32 ? bytes.length - 32 : 0;
        int length = bytes.length - start;
        System.arraycopy(bytes, start, out, offset + 32 - length, length);
    }
}
