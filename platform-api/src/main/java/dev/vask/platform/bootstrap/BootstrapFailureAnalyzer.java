package dev.vask.platform.bootstrap;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a {@link BootstrapException} as a message and an action rather than a stack trace. */
class BootstrapFailureAnalyzer extends AbstractFailureAnalyzer<BootstrapException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BootstrapException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
