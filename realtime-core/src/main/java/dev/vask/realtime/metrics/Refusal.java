package dev.vask.realtime.metrics;

/** Why something an app's clients or backend sent was refused; {@link #tag()} is its {@code reason} in metrics. */
public enum Refusal {

    /** Over one of the app's limits: connections, message size, rates, subscriptions, the daily quota. */
    LIMIT("limit"),
    /** A signature, key or authorization that does not hold. */
    AUTH("auth"),
    /** Malformed or not allowed as sent (bad JSON, unknown channel type, client events switched off). */
    INVALID("invalid"),
    /** The server was short of heap, direct memory or file descriptors (admission control). */
    OVERLOAD("overload");

    private final String tag;

    Refusal(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
