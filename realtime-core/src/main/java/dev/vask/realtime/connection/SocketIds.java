package dev.vask.realtime.connection;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.vask.realtime.cluster.NodeId;
import org.jspecify.annotations.Nullable;

/**
 * Socket ids in Pusher's format ({@code ^\d+\.\d+$}): {@code nodeId.sequence}. The node id makes them
 * unique across a cluster; the sequence starts at a random point so ids are not guessable from a restart.
 */
public final class SocketIds {

    private final long nodeId;
    private final String prefix;
    private final AtomicLong sequence = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1_000_000_000L));

    public SocketIds(NodeId node) {
        this.nodeId = node.value();
        this.prefix = node.socketIdPrefix();
    }

    public long nodeId() {
        return nodeId;
    }

    long next() {
        return sequence.incrementAndGet();
    }

    String format(long socketSequence) {
        return prefix + socketSequence;
    }

    /** The sequence of a socket id of this node; -1 when absent, malformed or another node's. */
    long localSequence(@Nullable String socketId) {
        if (socketId == null || !socketId.startsWith(prefix) || socketId.length() == prefix.length()
                || socketId.length() > prefix.length() + 18) {
            return -1;
        }
        long value = 0;
        for (int i = prefix.length(); i < socketId.length(); i++) {
            char c = socketId.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Pusher's socket id format, as the server SDKs check it. */
    public static boolean isValid(@Nullable String socketId) {
        return socketId != null && socketId.matches("^\\d{1,19}\\.\\d{1,19}$");
    }
}
