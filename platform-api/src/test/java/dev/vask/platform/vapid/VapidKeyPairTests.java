package dev.vask.platform.vapid;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * VAPID key pairs in Web Push's encodings: the public key is always the 65-byte uncompressed point on P-256, as
 * unpadded URL-safe base64; the scalar always 32 bytes and the private half of that very public key. About one key
 * in 128 has a coordinate with a leading zero byte, which BigInteger drops: thousands of keys catch a missing pad.
 */
class VapidKeyPairTests {

    @Test
    void everyGeneratedKeyIs65BytesStarting04OnTheCurveUnpaddedAndItsScalarSignsForIt() throws Exception {
        Set<String> seen = new HashSet<>();
        int shortCoordinates = 0;
        for (int i = 0; i < 3000; i++) {
            VapidKeyPair pair = VapidKeyPair.generate();
            byte[] point = pair.publicKey();
            assertThat(point).hasSize(65);
            assertThat(point[0]).isEqualTo((byte) 0x04);
            assertThat(pair.privateScalar()).hasSize(32);
            String text = pair.publicKeyText();
            assertThat(text).hasSize(87).matches("^B[A-Za-z0-9_-]{86}$").doesNotContain("=");
            assertThat(VapidKeyPair.decodePublicKey(text)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(point));
            assertThat(seen.add(text)).isTrue();
            if (point[1] == 0 || point[33] == 0 || pair.privateScalar()[0] == 0) {
                shortCoordinates++;
            }
            if (i < 20) {
                assertSignsFor(pair);
            }
        }
        assertThat(shortCoordinates).as("keys with a leading zero byte, encoded at full width").isPositive();
    }

    @Test
    void decodingRefusesWhatIsNotAnUncompressedPointOnP256() {
        VapidKeyPair pair = VapidKeyPair.generate();
        byte[] offCurve = pair.publicKey().clone();
        offCurve[64] ^= 1;
        byte[] compressed = Arrays.copyOf(pair.publicKey(), 33);
        compressed[0] = 0x02;
        assertThat(VapidKeyPair.decodePublicKey(Base64.getUrlEncoder().withoutPadding().encodeToString(offCurve))).isEmpty();
        assertThat(VapidKeyPair.decodePublicKey(Base64.getUrlEncoder().encodeToString(compressed))).isEmpty();
        assertThat(VapidKeyPair.decodePublicKey("not base64 at all!")).isEmpty();
        // the padded form of the seed's example is accepted on input
        assertThat(VapidKeyPair.decodePublicKey("BKILjh0SzTiHOZ5P_sfduv-iqtOg_S18nR7ePcjnDivJaOY6nOG1L3OmvjXjNnthlRDdVnawl1_owfdPCvmDt5U=")).isPresent();
        assertThat(VapidKeyPair.decodePublicKey("BKILjh0SzTiHOZ5P_sfduv-iqtOg_S18nR7ePcjnDivJaOY6nOG1L3OmvjXjNnthlRDdVnawl1_owfdPCvmDt5U")).isPresent();
        assertThatThrownBy(() -> new VapidKeyPair(new byte[64], new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThat(pair.toString()).doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(pair.privateScalar()));
    }

    @Test
    void theChangeEventHasTheSeedsShapeWithExactlySixFractionalDigitsInUtc() {
        String key = "BKILjh0SzTiHOZ5P_sfduv-iqtOg_S18nR7ePcjnDivJaOY6nOG1L3OmvjXjNnthlRDdVnawl1_owfdPCvmDt5U";
        assertThat(VapidChangeEvent.json(Instant.parse("2025-08-30T05:44:58.100206Z"), key))
                .isEqualTo("{\"type\":\"vapid\",\"event\":\"changed\",\"at\":\"2025-08-30T05:44:58.100206Z\",\"key\":\"" + key + "\"}");
        assertThat(VapidChangeEvent.timestamp(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000000Z");
        assertThat(VapidChangeEvent.timestamp(Instant.parse("2026-01-02T03:04:05.120Z"))).isEqualTo("2026-01-02T03:04:05.120000Z");
    }

    private static void assertSignsFor(VapidKeyPair pair) throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
        KeyFactory factory = KeyFactory.getInstance("EC");
        PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(new BigInteger(1, pair.privateScalar()), p256));
        byte[] point = pair.publicKey();
        PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(point, 33, 65))), p256));
        byte[] message = "vapid".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(message);
        assertThat(verifier.verify(signature)).as("the scalar is the private half of the public key").isTrue();
    }
}
