package dev.vask.platform.vapid;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A VAPID key pair (RFC 8292) on NIST P-256, in the encodings Web Push uses: the public key as the 65-byte
 * uncompressed point {@code 0x04 || X || Y}, the private key as the 32-byte scalar, each coordinate and the
 * scalar left-padded to exactly 32 bytes (a {@link BigInteger} may give 31 or 33). Browsers take the public key
 * as URL-safe base64 <em>without</em> padding ({@link #publicKeyText()}).
 */
public record VapidKeyPair(byte[] publicKey, byte[] privateScalar) {

    public static final int PUBLIC_KEY_LENGTH = 65;
    public static final int SCALAR_LENGTH = 32;
    private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final ECParameterSpec P256 = p256();

    public VapidKeyPair {
        if (publicKey.length != PUBLIC_KEY_LENGTH || publicKey[0] != 0x04) {
            throw new IllegalArgumentException("a P-256 public key is 65 bytes starting 0x04");
        }
        if (privateScalar.length != SCALAR_LENGTH) {
            throw new IllegalArgumentException("a P-256 private scalar is 32 bytes");
        }
    }

    /** A fresh pair from the JDK's generator (secp256r1). CPU work of a millisecond or so: not on an event loop. */
    public static VapidKeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            ECPoint point = ((ECPublicKey) pair.getPublic()).getW();
            byte[] publicKey = new byte[PUBLIC_KEY_LENGTH];
            publicKey[0] = 0x04;
            fixedWidth(point.getAffineX(), publicKey, 1);
            fixedWidth(point.getAffineY(), publicKey, 1 + SCALAR_LENGTH);
            byte[] scalar = new byte[SCALAR_LENGTH];
            fixedWidth(((ECPrivateKey) pair.getPrivate()).getS(), scalar, 0);
            return new VapidKeyPair(publicKey, scalar);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is not available in this JVM", e);
        }
    }

    /** The public key as browsers take it for {@code applicationServerKey}: URL-safe base64, no padding, 87 characters. */
    public String publicKeyText() {
        return URL_ENCODER.encodeToString(publicKey);
    }

    /** The private scalar as URL-safe base64 without padding (43 characters): what is encrypted at rest. */
    String privateScalarText() {
        return URL_ENCODER.encodeToString(privateScalar);
    }

    /**
     * The 65-byte point this text encodes, if it is URL-safe base64 (padded or not) of an uncompressed point that
     * lies on P-256; empty for anything else.
     */
    public static Optional<byte[]> decodePublicKey(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != PUBLIC_KEY_LENGTH || bytes[0] != 0x04) {
            return Optional.empty();
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(bytes, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(bytes, 33, 65));
        return onCurve(x, y) ? Optional.of(bytes) : Optional.empty();
    }

    /** y² = x³ + ax + b (mod p), with both coordinates below p: the JDK's KeyFactory does not check this itself. */
    private static boolean onCurve(BigInteger x, BigInteger y) {
        BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        return left.equals(right);
    }

    private static void fixedWidth(BigInteger value, byte[] into, int offset) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > SCALAR_LENGTH ? bytes.length - SCALAR_LENGTH : 0; // a sign byte
        int length = bytes.length - start;
        System.arraycopy(bytes, start, into, offset + SCALAR_LENGTH - length, length); // left-padded with zeros
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "VapidKeyPair[" + publicKeyText() + "]"; // never the private scalar
    }
}
