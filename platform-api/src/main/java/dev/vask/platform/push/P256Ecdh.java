package dev.vask.platform.push;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * P-256 ECDH as RFC 8291 uses it: a fresh ephemeral key per message, agreed with the browser's public point.
 * Two implementations give the same bytes: {@link OpenSslP256Ecdh} (the system's libcrypto through the Foreign
 * Function and Memory API, about eight times faster per ECDH) and {@link JdkP256Ecdh} (SunEC, the fallback where
 * libcrypto.so.3 cannot be loaded). docs/performance.md ("Web Push delivery") has the measurements.
 *
 * <p>Both refuse a point that is not on the curve with {@link IllegalArgumentException}; P-256 has cofactor 1, so a
 * point on the curve (the 65-byte uncompressed form cannot encode the point at infinity) is a valid public key.
 */
public sealed interface P256Ecdh permits JdkP256Ecdh, OpenSslP256Ecdh {

    /** The ephemeral public point (65 bytes, uncompressed) and the 32-byte shared secret (the X coordinate). */
    record Agreement(byte[] ephemeralPublic, byte[] secret) {
    }

    /**
     * Generates an ephemeral key and agrees with {@code peerPublic}.
     *
     * @throws IllegalArgumentException when {@code peerPublic} is not a 65-byte uncompressed point on P-256
     */
    Agreement agree(byte[] peerPublic);

    /**
     * Agrees with {@code peerPublic} under a given private scalar (32 bytes, big-endian): the RFC 8291 test vector
     * and decryption as a browser does it.
     *
     * @throws IllegalArgumentException when {@code peerPublic} is not a 65-byte uncompressed point on P-256
     */
    byte[] agree(byte[] ownPrivate, byte[] peerPublic);

    /** What the log and the tests call it. */
    String name();

    /** OpenSSL's when libcrypto.so.3 loads and passes its self-test, else the JDK's; said once in the log. */
    static P256Ecdh preferred() {
        return Preferred.INSTANCE;
    }

    static P256Ecdh jdk() {
        return JdkP256Ecdh.INSTANCE;
    }

    final class Preferred {
        private static final Logger log = LoggerFactory.getLogger(P256Ecdh.class);
        static final P256Ecdh INSTANCE = choose();

        private Preferred() {
        }

        private static P256Ecdh choose() {
            var openSsl = OpenSslP256Ecdh.load();
            if (openSsl.instance() != null) {
                log.info("Web Push encryption uses {} for P-256", openSsl.instance().name());
                return openSsl.instance();
            }
            log.info("Web Push encryption uses the JDK for P-256 (about eight times the CPU per encryption): {}", openSsl.problem());
            return JdkP256Ecdh.INSTANCE;
        }
    }
}
