package dev.vask.platform.web;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import reactor.netty.channel.AbortedException;

/**
 * Recognises a request that failed because the client went away (closed the socket mid-body, reset the
 * connection). Nothing is wrong on our side and no answer can reach the client, so these are logged at
 * debug: anyone can produce them, and an error line with a stack trace for each would flood the log.
 */
public final class ClientAborts {

    private ClientAborts() {
    }

    public static boolean isClientAbort(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof AbortedException || cause instanceof ClosedChannelException) {
                return true;
            }
            if (cause instanceof IOException io && io.getMessage() != null
                    && (io.getMessage().contains("Connection reset") || io.getMessage().contains("Broken pipe"))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
