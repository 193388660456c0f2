package dev.vask.platform.secret;

import org.flywaydb.core.api.callback.Callback;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The master key ({@code vask.master-key}, from {@code VASK_MASTER_KEY}) and the cipher built on it.
 * A missing or malformed key stops start-up with {@link MasterKeyException}.
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

    @Bean
    SecretCipher secretCipher(@Value("${vask.master-key:}") String masterKey) {
        return new SecretCipher(MasterKey.fromBase64(masterKey));
    }

    @Bean
    @Order(0) // first of the after-migrate callbacks: nothing may be encrypted under a wrong key
    Callback masterKeyVerification(SecretCipher cipher) {
        return new MasterKeyVerification(cipher);
    }
}
