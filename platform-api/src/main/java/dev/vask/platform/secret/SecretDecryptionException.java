package dev.vask.platform.secret;

/** A stored secret could not be decrypted: wrong master key, wrong context, or tampered bytes. */
public final class SecretDecryptionException extends RuntimeException {

    SecretDecryptionException(String message) {
        super(message);
    }
}
