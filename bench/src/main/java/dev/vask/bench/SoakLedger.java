package dev.vask.bench;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the soak published and what its clients saw, for the "nothing lost" verdict. Each channel's HTTP
 * events carry a sequence number (1, 2, 3, ...): {@link #sent} is the highest one written to the wire,
 * {@link #acknowledged} the highest one the server answered 200 for. Touched only on the load
 * generator's loop, so plain fields.
 */
final class SoakLedger {

    private final Map<String, long[]> channels = new HashMap<>();

    long published;
    long accepted;
    long rejected;
    @Nullable String firstRejection;
    long deliveries;
    /** HTTP events a subscriber should have received (published while it was subscribed) and did not. */
    long lostEvents;
    /** Events that came twice or out of order. */
    long disordered;
    long clientEventsSent;
    long clientEventsReceived;
    /** Client events missing between two that a subscriber did receive from the same sender. */
    long lostClientEvents;
    long memberEvents;
    /** member_added for a member already shown, or member_removed for one not shown. */
    long memberAnomalies;
    long connects;
    long leaves;
    long resubscribes;
    long tailChecks;
    long unexpectedCloses;
    long errors;
    private @Nullable String firstProblem;

    /** The next sequence number for the channel (counted as written to the wire once {@link #written} says so). */
    long next(String channel) {
        return ++seq(channel)[2];
    }

    void written(String channel, long seq) {
        long[] s = seq(channel);
        s[0] = Math.max(s[0], seq);
        published++;
    }

    void acknowledged(String channel, long seq) {
        long[] s = seq(channel);
        s[1] = Math.max(s[1], seq);
        accepted++;
    }

    long sent(String channel) {
        return seq(channel)[0];
    }

    long acknowledged(String channel) {
        return seq(channel)[1];
    }

    private long[] seq(String channel) {
        return channels.computeIfAbsent(channel, c -> new long[3]);
    }

    void problem(String what) {
        if (firstProblem == null) {
            firstProblem = what;
        }
    }

    @Nullable String firstProblem() {
        return firstProblem;
    }

    void unexpectedClose(String why) {
        unexpectedCloses++;
        problem(why);
    }

    void error(String text) {
        errors++;
        problem(text);
    }

    Counts counts() {
        return new Counts(published, accepted, rejected, deliveries, lostEvents, disordered, clientEventsSent, clientEventsReceived,
                lostClientEvents, memberEvents, memberAnomalies, connects, leaves, resubscribes, tailChecks, unexpectedCloses, errors);
    }

    record Counts(long published, long accepted, long rejected, long deliveries, long lostEvents, long disordered,
            long clientEventsSent, long clientEventsReceived, long lostClientEvents, long memberEvents, long memberAnomalies,
            long connects, long leaves, long resubscribes, long tailChecks, long unexpectedCloses, long errors) {
    }
}
