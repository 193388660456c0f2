package dev.vask.realtime.cluster;

/**
 * Something only the cluster's Redis can answer could not be answered (Redis unreachable or too slow). Callers
 * refuse the request as retryable: the HTTP API answers 503 with this message, never 2xx for dropped work.
 */
public class ClusterUnavailableException extends RuntimeException {

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ClusterUnavailableException(String message) {
        super(message);
    }
}
