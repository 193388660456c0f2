package dev.vask.platform.bootstrap;

/** A VASK_BOOTSTRAP_* or VASK_ADMIN_* setting cannot be used; start-up stops with this message. */
public final class BootstrapException extends RuntimeException {

    private final String action;

    BootstrapException(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
