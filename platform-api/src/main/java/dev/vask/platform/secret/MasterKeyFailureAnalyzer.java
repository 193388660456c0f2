package dev.vask.platform.secret;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link MasterKeyException} into a short start-up message with the action to take,
 * instead of a stack trace.
 */
class MasterKeyFailureAnalyzer extends AbstractFailureAnalyzer<MasterKeyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MasterKeyException cause) {
        String action = switch (cause.reason()) {
            case MISSING -> "Set VASK_MASTER_KEY to a base64 encoded 32-byte key, for example the output of "
                    + "'openssl rand -base64 32', and keep it safe: app secrets cannot be read without it. "
                    + "(Only the embedded database default generates one by itself, into VASK_DATA_DIR.)";
            case MALFORMED -> "Set VASK_MASTER_KEY to exactly 32 random bytes in base64 (44 characters), "
                    + "for example the output of 'openssl rand -base64 32'.";
            case MISMATCH -> "Start Vask with the master key this database was first started with. "
                    + "A different key cannot decrypt the app secrets stored here; Vask refuses to start "
                    + "rather than hand out wrong secrets.";
        };
        return new FailureAnalysis(cause.getMessage() + ".", action, cause);
    }
}
