package dev.vask.realtime.cluster.redis;

/** Cluster mode could not start: the Redis at {@code VASK_REDIS_URL} did not answer. */
public class RedisUnreachableException extends RuntimeException {

    private final String redis;

    public RedisUnreachableException(String redis, Throwable cause) {
        super("Could not connect to Redis at " + redis + ": " + cause.getMessage(), cause);
        this.redis = redis;
    }

    /** The server(s) tried, without credentials. */
    public String redis() {
        return redis;
    }
}
