package dev.vask.platform.secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTests {

    private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    private final SecretCipher cipher = new SecretCipher(MasterKey.fromBase64(KEY_A));

    @Test
    void encryptedSecretDecryptsWithSameKeyAndContext() {
        byte[] sealed = cipher.encrypt("7ad3773142a6692b25b8", "app-key-secret:abc");
        assertThat(cipher.decrypt(sealed, "app-key-secret:abc")).isEqualTo("7ad3773142a6692b25b8");
    }

    @Test
    void ciphertextDoesNotContainThePlaintextAndDiffersEachTime() {
        byte[] first = cipher.encrypt("7ad3773142a6692b25b8", "ctx");
        byte[] second = cipher.encrypt("7ad3773142a6692b25b8", "ctx");
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("7ad3773142a6692b25b8");
        assertThat(first).isNotEqualTo(second);
        assertThat(first).hasSize(1 + 12 + 20 + 16);
    }

    @Test
    void ciphertextMovedToAnotherContextDoesNotDecrypt() {
        byte[] sealed = cipher.encrypt("secret", "app-key-secret:abc");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "app-key-secret:other"))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void wrongMasterKeyDoesNotDecrypt() {
        byte[] sealed = cipher.encrypt("secret", "ctx");
        SecretCipher other = new SecretCipher(MasterKey.fromBase64(KEY_B));
        assertThatThrownBy(() -> other.decrypt(sealed, "ctx")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void tamperedCiphertextDoesNotDecrypt() {
        byte[] sealed = cipher.encrypt("secret", "ctx");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(sealed, "ctx")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void masterKeyMustBePresentBase64AndThirtyTwoBytes() {
        assertThatThrownBy(() -> MasterKey.fromBase64("")).isInstanceOf(MasterKeyException.class)
                .hasMessage("VASK_MASTER_KEY is not set");
        assertThatThrownBy(() -> MasterKey.fromBase64("not base64!")).isInstanceOf(MasterKeyException.class)
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(MasterKeyException.class).hasMessageContaining("16 bytes, not 32");
    }

    @Test
    void masterKeyNeverPrintsItself() {
        assertThat(MasterKey.fromBase64(KEY_B).toString()).doesNotContain(KEY_B).isEqualTo("MasterKey[****]");
    }
}
