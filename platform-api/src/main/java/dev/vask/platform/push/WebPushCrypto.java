package dev.vask.platform.push;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 8291 message encryption over the RFC 8188 {@code aes128gcm} content coding: one record of
 * {@link #RECORD_SIZE} bytes, a fresh ephemeral P-256 key and a fresh 16-byte salt per message, the
 * {@code 0x02} last-record delimiter and no padding. The P-256 agreement is {@link P256Ecdh#preferred()} (OpenSSL's
 * libcrypto when it loads, else the JDK); HKDF and AES-GCM are the JDK's.
 */
public final class WebPushCrypto {

    /** The record size written in the header; the whole body must fit in it. */
    public static final int RECORD_SIZE = 4096;
    /** 4096 - 86 (header) - 16 (tag) - 1 (delimiter): what every push service must accept. */
    public static final int MAX_PLAINTEXT = 3993;
    public static final int AUTH_SECRET_BYTES = 16;
    private static final int SALT_BYTES = 16;
    private static final int HEADER_BYTES = SALT_BYTES + 4 + 1 + P256.PUBLIC_KEY_BYTES;
    private static final byte[] KEY_INFO = "WebPush: info\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CEK_INFO = "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE_INFO = "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    });
    /** One HMAC-SHA256 per thread, keyed again for each step, instead of a provider lookup for each of a message's five HMACs. */
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    });

    private WebPushCrypto() {
    }

    /** Encrypts for the subscription with a fresh ephemeral key and salt. */
    public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret) {
        return encrypt(plaintext, uaPublic, authSecret, P256Ecdh.preferred());
    }

    /** Encrypts with a fresh ephemeral key and salt, agreeing through the given implementation. */
    public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, P256Ecdh ecdh) {
        checkSizes(plaintext, authSecret);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        P256Ecdh.Agreement agreement = ecdh.agree(uaPublic);
        return seal(plaintext, uaPublic, authSecret, agreement.ephemeralPublic(), agreement.secret(), salt);
    }

    /** Encrypts with the given ephemeral key and salt (the RFC 8291 test vector); never reuse either. JDK. */
    public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, KeyPair ephemeral, byte[] salt) {
        return encrypt(plaintext, uaPublic, authSecret, P256Ecdh.jdk(), P256.encodePrivate((ECPrivateKey) ephemeral.getPrivate()),
                P256.encodePublic((ECPublicKey) ephemeral.getPublic()), salt);
    }

    /** Encrypts with the given ephemeral key pair (32-byte scalar, 65-byte point) and salt, through the given implementation. */
    public static byte[] encrypt(byte[] plaintext, byte[] uaPublic, byte[] authSecret, P256Ecdh ecdh, byte[] ephemeralPrivate,
            byte[] ephemeralPublic, byte[] salt) {
        checkSizes(plaintext, authSecret);
        if (salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("the auth secret and the salt are 16 bytes each");
        }
        return seal(plaintext, uaPublic, authSecret, ephemeralPublic, ecdh.agree(ephemeralPrivate, uaPublic), salt);
    }

    /**
     * The thread's AES-GCM cipher, initialised for encryption: a provider lookup per message showed in the push
     * profile. The JDK refuses to encrypt twice under the same key and nonce on one instance; that happens only when
     * a caller repeats a fixed key and salt (the RFC 8291 vector), and then a fresh instance takes over.
     */
    private static Cipher encryptingCipher(SecretKeySpec key, GCMParameterSpec nonce) throws GeneralSecurityException {
        Cipher cipher = GCM.get();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nonce);
        }
        catch (java.security.InvalidAlgorithmParameterException sameKeyAndNonce) {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, nonce);
            GCM.set(cipher);
        }
        return cipher;
    }

    private static void checkSizes(byte[] plaintext, byte[] authSecret) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("a push message holds at most " + MAX_PLAINTEXT + " bytes, not " + plaintext.length);
        }
        if (authSecret.length != AUTH_SECRET_BYTES) {
            throw new IllegalArgumentException("the auth secret and the salt are 16 bytes each");
        }
    }

    private static byte[] seal(byte[] plaintext, byte[] uaPublic, byte[] authSecret, byte[] asPublic, byte[] ecdh, byte[] salt) {
        try {
            Keys keys = derive(ecdh, authSecret, uaPublic, asPublic, salt);
            Cipher cipher = encryptingCipher(new SecretKeySpec(keys.cek(), "AES"), new GCMParameterSpec(128, keys.nonce()));
            byte[] record = Arrays.copyOf(plaintext, plaintext.length + 1);
            record[plaintext.length] = 0x02;
            byte[] sealed = cipher.doFinal(record);
            return ByteBuffer.allocate(HEADER_BYTES + sealed.length)
                    .put(salt).putInt(RECORD_SIZE).put((byte) P256.PUBLIC_KEY_BYTES).put(asPublic).put(sealed).array();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Web Push encryption failed", e);
        }
    }

    /**
     * Decrypts a push message body as the browser does (for the test push service).
     *
     * @throws IllegalArgumentException when the body is malformed, does not authenticate, or is not one last record
     */
    public static byte[] decrypt(byte[] body, ECPrivateKey uaPrivate, byte[] uaPublic, byte[] authSecret) {
        return decrypt(body, P256Ecdh.jdk(), P256.encodePrivate(uaPrivate), uaPublic, authSecret);
    }

    /** Decrypts as {@link #decrypt(byte[], ECPrivateKey, byte[], byte[])} does, agreeing through the given implementation. */
    public static byte[] decrypt(byte[] body, P256Ecdh ecdh, byte[] uaPrivate, byte[] uaPublic, byte[] authSecret) {
        if (body.length < HEADER_BYTES + 16) {
            throw new IllegalArgumentException("shorter than the aes128gcm header and tag");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[SALT_BYTES];
        in.get(salt);
        int recordSize = in.getInt();
        int idLength = in.get() & 0xff;
        if (idLength != P256.PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("the key id must be the 65-byte sender key, not " + idLength + " bytes");
        }
        byte[] asPublic = new byte[idLength];
        in.get(asPublic);
        if (body.length - HEADER_BYTES > recordSize) {
            throw new IllegalArgumentException("more than one record");
        }
        try {
            Keys keys = derive(ecdh.agree(uaPrivate, asPublic), authSecret, uaPublic, asPublic, salt);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.cek(), "AES"), new GCMParameterSpec(128, keys.nonce()));
            byte[] record = cipher.doFinal(body, HEADER_BYTES, body.length - HEADER_BYTES);
            int end = record.length;
            while (end > 0 && record[end - 1] == 0) {
                end--;
            }
            if (end == 0 || record[end - 1] != 0x02) {
                throw new IllegalArgumentException("the record does not end with the last-record delimiter 0x02");
            }
            return Arrays.copyOf(record, end - 1);
        }
        catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("the message does not authenticate", e);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Web Push decryption failed", e);
        }
    }

    private record Keys(byte[] cek, byte[] nonce) {
    }

    private static Keys derive(byte[] ecdh, byte[] authSecret, byte[] uaPublic, byte[] asPublic, byte[] salt) throws GeneralSecurityException {
        byte[] prkKey = hmac(authSecret, ecdh);
        byte[] keyInfo = ByteBuffer.allocate(KEY_INFO.length + 2 * P256.PUBLIC_KEY_BYTES + 1)
                .put(KEY_INFO).put(uaPublic).put(asPublic).put((byte) 1).array();
        byte[] ikm = hmac(prkKey, keyInfo);
        byte[] prk = hmac(salt, ikm);
        byte[] cek = Arrays.copyOf(hmac(prk, withCounter(CEK_INFO)), 16);
        byte[] nonce = Arrays.copyOf(hmac(prk, withCounter(NONCE_INFO)), 12);
        return new Keys(cek, nonce);
    }

    private static byte[] withCounter(byte[] info) {
        byte[] out = Arrays.copyOf(info, info.length + 1);
        out[info.length] = 1;
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = HMAC.get();
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
