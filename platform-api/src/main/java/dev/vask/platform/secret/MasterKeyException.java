package dev.vask.platform.secret;

/**
 * Start-up cannot go on because the master key is missing, malformed, or not the key the secrets
 * in this database were encrypted with. {@link MasterKeyFailureAnalyzer} tells the operator what to do.
 */
public final class MasterKeyException extends RuntimeException {

    public enum Reason { MISSING, MALFORMED, MISMATCH }

    private final Reason reason;

    private MasterKeyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    static MasterKeyException missing() {
        return new MasterKeyException(Reason.MISSING, "VASK_MASTER_KEY is not set");
    }

    static MasterKeyException malformed(String why) {
        return new MasterKeyException(Reason.MALFORMED, "VASK_MASTER_KEY is not a base64 encoded 32-byte key: " + why);
    }

    static MasterKeyException mismatch() {
        return new MasterKeyException(Reason.MISMATCH,
                "VASK_MASTER_KEY is not the key this database's secrets were encrypted with");
    }

    public Reason reason() {
        return reason;
    }
}
