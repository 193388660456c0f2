package dev.vask.platform.push;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8292 VAPID tokens: ES256 with a raw R‖S signature, verified with the JDK, never compared (ECDSA is randomised). */
class VapidSignerTests {

    private static final String RFC_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJhdWQiOiJodHRwczovL3B1c2guZXhhbXBsZS5uZXQiLCJleHAiOjE0NTM1MjM3NjgsInN1YiI6Im1haWx0bzpwdXNoQGV4YW1wbGUuY29tIn0."
            + "i3CYb7t4xfxCDquptFOepC9GAu_HLGkMlMuCGSK2rpiUfnK9ojFwDXb1JrErtmysazNjjvW2L9OkSSHzvoD1oA";
    private static final String RFC_KEY = "BA1Hxzyi1RUM1b5wjxsn7nGxAszw2u61m164i3MrAIxHF6YK5h4SDYic-dRuU_RCPCfA5aq9ojSwk5Y2EmClBPs";

    @Test
    void theAuthorizationHeaderCarriesATokenThatVerifiesUnderItsKeyWithTheRightClaims() throws Exception {
        KeyPair pair = P256.generate();
        VapidKey key = new VapidKey(7, P256.encodePublic((ECPublicKey) pair.getPublic()), (ECPrivateKey) pair.getPrivate());
        Instant now = Instant.parse("2026-12-06T05:00:00Z");
        String header = new VapidSigner().authorization(key, URI.create("https://fcm.googleapis.com/fcm/send/abc?x=1"), "mailto:ops@example.com", now);
        assertThat(header).startsWith("vapid t=").endsWith(", k=" + key.publicKeyText());
        String token = header.substring("vapid t=".length(), header.indexOf(", k="));
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(json(parts[0])).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"ES256\"}");
        assertThat(json(parts[1])).isEqualTo("{\"aud\":\"https://fcm.googleapis.com\",\"exp\":" + now.plus(VapidSigner.LIFETIME).getEpochSecond()
                + ",\"sub\":\"mailto:ops@example.com\"}");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(signature).hasSize(64);
        assertThat(verify(P256.decodePublic(P256.fromBase64url(header.substring(header.indexOf(", k=") + 4))), parts[0] + "." + parts[1], signature)).isTrue();
        assertThat(VapidSigner.LIFETIME).isLessThanOrEqualTo(java.time.Duration.ofHours(12));
    }

    @Test
    void aTokenDoesNotVerifyUnderAnotherKeyOrWithAChangedClaim() throws Exception {
        KeyPair pair = P256.generate();
        VapidKey key = new VapidKey(1, P256.encodePublic((ECPublicKey) pair.getPublic()), (ECPrivateKey) pair.getPrivate());
        String token = VapidSigner.jwt(key, "https://push.example.net", "mailto:a@example.com", Instant.now().plusSeconds(3600));
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(verify((ECPublicKey) P256.generate().getPublic(), parts[0] + "." + parts[1], signature)).isFalse();
        String tampered = parts[0] + "." + parts[1].substring(0, 10) + (parts[1].charAt(10) == 'A' ? 'B' : 'A') + parts[1].substring(11);
        assertThat(verify((ECPublicKey) pair.getPublic(), tampered, signature)).isFalse();
    }

    @Test
    void theRfc8292ExampleVerifiesAsRawRsAndIsNotDer() throws Exception {
        String[] parts = RFC_TOKEN.split("\\.");
        String claims = "{\"aud\":\"https://push.example.net\",\"exp\":1453523768,\"sub\":\"mailto:push@example.com\"}";
        assertThat(parts[0] + "." + parts[1]).isEqualTo(P256.base64url("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8))
                + "." + P256.base64url(claims.getBytes(StandardCharsets.UTF_8)));
        ECPublicKey key = P256.decodePublic(P256.fromBase64url(RFC_KEY));
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(verify(key, parts[0] + "." + parts[1], signature)).isTrue();
        Signature der = Signature.getInstance("SHA256withECDSA");
        der.initVerify(key);
        der.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> der.verify(signature)).isInstanceOf(SignatureException.class);
    }

    @Test
    void theAudienceIsTheOriginWithANonDefaultPortOnly() {
        assertThat(VapidSigner.audience(URI.create("https://fcm.googleapis.com/fcm/send/abc"))).isEqualTo("https://fcm.googleapis.com");
        assertThat(VapidSigner.audience(URI.create("https://Push.Example.NET:443/x/"))).isEqualTo("https://push.example.net");
        assertThat(VapidSigner.audience(URI.create("http://127.0.0.1:8090/notify/x"))).isEqualTo("http://127.0.0.1:8090");
        assertThat(VapidSigner.audience(URI.create("https://push.example.net:8443/x"))).isEqualTo("https://push.example.net:8443");
    }

    @Test
    void aNewKeyIdIsSignedAfreshAndAHeaderIsReusedForTheSameKeyAndAudience() {
        KeyPair pair = P256.generate();
        VapidSigner signer = new VapidSigner();
        VapidKey key = new VapidKey(1, P256.encodePublic((ECPublicKey) pair.getPublic()), (ECPrivateKey) pair.getPrivate());
        KeyPair next = P256.generate();
        VapidKey rotated = new VapidKey(2, P256.encodePublic((ECPublicKey) next.getPublic()), (ECPrivateKey) next.getPrivate());
        URI endpoint = URI.create("https://push.example.net/a");
        Instant now = Instant.now();
        String first = signer.authorization(key, endpoint, "mailto:a@example.com", now);
        assertThat(signer.authorization(key, URI.create("https://push.example.net/b"), "mailto:a@example.com", now.plusSeconds(60))).isEqualTo(first);
        assertThat(signer.authorization(rotated, endpoint, "mailto:a@example.com", now)).endsWith("k=" + rotated.publicKeyText());
        assertThat(signer.authorization(key, endpoint, "mailto:a@example.com", now.plus(VapidSigner.LIFETIME).minusSeconds(1800))).isNotEqualTo(first);
    }

    private static String json(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static boolean verify(ECPublicKey key, String input, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(key);
        verifier.update(input.getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(signature);
    }
}
