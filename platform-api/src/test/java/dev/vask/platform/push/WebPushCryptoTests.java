package dev.vask.platform.push;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static dev.vask.platform.push.Rfc8291Vector.AS_PRIVATE;
import static dev.vask.platform.push.Rfc8291Vector.AS_PUBLIC;
import static dev.vask.platform.push.Rfc8291Vector.AUTH;
import static dev.vask.platform.push.Rfc8291Vector.BODY;
import static dev.vask.platform.push.Rfc8291Vector.PLAINTEXT;
import static dev.vask.platform.push.Rfc8291Vector.SALT;
import static dev.vask.platform.push.Rfc8291Vector.UA_PRIVATE;
import static dev.vask.platform.push.Rfc8291Vector.UA_PUBLIC;
import static dev.vask.platform.push.Rfc8291Vector.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8291 message encryption, pinned by the RFC's Appendix A vector (what browsers decrypt). */
class WebPushCryptoTests {

    @Test
    void encryptingTheRfc8291VectorGivesItsExactBody() {
        KeyPair ephemeral = new KeyPair(P256.decodePublic(b(AS_PUBLIC)), P256.decodePrivate(b(AS_PRIVATE)));
        byte[] body = WebPushCrypto.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8), b(UA_PUBLIC), b(AUTH), ephemeral, b(SALT));
        assertThat(body).hasSize(144);
        assertThat(P256.base64url(body)).isEqualTo(BODY);
    }

    @Test
    void decryptingTheRfc8291VectorGivesItsPlaintext() {
        byte[] plain = WebPushCrypto.decrypt(b(BODY), P256.decodePrivate(b(UA_PRIVATE)), b(UA_PUBLIC), b(AUTH));
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
    }

    @Test
    void aTamperedBodyOrTheWrongAuthSecretDoesNotDecrypt() {
        byte[] body = b(BODY);
        body[100] ^= 1;
        assertThatThrownBy(() -> WebPushCrypto.decrypt(body, P256.decodePrivate(b(UA_PRIVATE)), b(UA_PUBLIC), b(AUTH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authenticate");
        byte[] otherAuth = b(AUTH);
        otherAuth[0] ^= 1;
        assertThatThrownBy(() -> WebPushCrypto.decrypt(b(BODY), P256.decodePrivate(b(UA_PRIVATE)), b(UA_PUBLIC), otherAuth))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyMessageHasAFreshSaltAndSenderKeyAndTheLargestPayloadFitsOneRecord() {
        KeyPair ua = P256.generate();
        byte[] uaPublic = P256.encodePublic((ECPublicKey) ua.getPublic());
        byte[] auth = new byte[16];
        byte[] payload = new byte[WebPushCrypto.MAX_PLAINTEXT];
        Arrays.fill(payload, (byte) 'x');
        byte[] first = WebPushCrypto.encrypt(payload, uaPublic, auth);
        byte[] second = WebPushCrypto.encrypt(payload, uaPublic, auth);
        assertThat(first).hasSize(WebPushCrypto.RECORD_SIZE);
        assertThat(Arrays.copyOf(first, 86)).isNotEqualTo(Arrays.copyOf(second, 86));
        assertThat(WebPushCrypto.decrypt(first, (ECPrivateKey) ua.getPrivate(), uaPublic, auth)).isEqualTo(payload);
        assertThatThrownBy(() -> WebPushCrypto.encrypt(new byte[WebPushCrypto.MAX_PLAINTEXT + 1], uaPublic, auth))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3993");
    }

    @Test
    void keysAlwaysEncodeToFixedWidthsAndRoundTrip() {
        for (int i = 0; i < 2000; i++) {
            KeyPair pair = P256.generate();
            byte[] publicKey = P256.encodePublic((ECPublicKey) pair.getPublic());
            byte[] privateKey = P256.encodePrivate((ECPrivateKey) pair.getPrivate());
            assertThat(publicKey).hasSize(65);
            assertThat(privateKey).hasSize(32);
            assertThat(P256.base64url(publicKey)).hasSize(87).startsWith("B");
            assertThat(P256.encodePublic(P256.decodePublic(publicKey))).isEqualTo(publicKey);
            assertThat(P256.encodePrivate(P256.decodePrivate(privateKey))).isEqualTo(privateKey);
        }
    }

    @Test
    void pointsOffTheCurveOrOfTheWrongShapeAreRefused() {
        byte[] point = b(UA_PUBLIC);
        point[64] ^= 1;
        assertThatThrownBy(() -> P256.decodePublic(point)).hasMessageContaining("not on the P-256 curve");
        assertThatThrownBy(() -> P256.decodePublic(Arrays.copyOf(b(UA_PUBLIC), 64))).hasMessageContaining("65-byte");
        byte[] compressed = b(UA_PUBLIC);
        compressed[0] = 0x02;
        assertThatThrownBy(() -> P256.decodePublic(compressed)).hasMessageContaining("uncompressed");
    }

    @Test
    void paddedBase64urlIsAcceptedAsTheSameKey() {
        assertThat(P256.fromBase64url(UA_PUBLIC + "=")).isEqualTo(P256.fromBase64url(UA_PUBLIC));
    }
}
