package dev.vask.realtime.cluster;

import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * This process's one identity in a cluster: the first part of every socket id it hands out
 * ({@code nodeId.sequence}), its row in the usage tables, its heartbeat and the owner of its state in Redis.
 * Random unless {@code vask.realtime.node-id} is set, which keeps ids unique without coordination.
 *
 * @param value between 1 and 999,999,999
 */
public record NodeId(long value) {

    public NodeId {
        if (value < 1 || value > 999_999_999L) {
            throw new IllegalArgumentException("A node id is between 1 and 999999999, not " + value);
        }
    }

    /** The configured id, or a random one. */
    public static NodeId of(@Nullable Integer configured) {
        return new NodeId(configured != null ? configured : ThreadLocalRandom.current().nextInt(1, 1_000_000_000));
    }

    /** The prefix of this node's socket ids: {@code "value."}. */
    public String socketIdPrefix() {
        return value + ".";
    }

    /** The node that handed out a socket id; -1 when the id is not in Pusher's format. */
    public static long ofSocketId(String socketId) {
        int dot = socketId.indexOf('.');
        if (dot <= 0 || dot > 9) {
            return -1;
        }
        try {
            return Long.parseLong(socketId, 0, dot, 10);
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
