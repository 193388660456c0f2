package dev.vask.realtime.fanout;

import dev.vask.realtime.cluster.ClusterUnavailableException;

/**
 * The bus cannot carry events right now (Redis unreachable, a command timed out). The HTTP API answers
 * 503 with this message, and a subscription waiting on the bus is refused with a retryable error.
 */
public class BusUnavailableException extends ClusterUnavailableException {

    public BusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BusUnavailableException(String message) {
        super(message);
    }
}
