package dev.vask.realtime.connection;

import java.util.ArrayList;
import java.util.List;

import dev.vask.realtime.presence.PresenceMember;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * One socket on one channel. Lives on the socket's event loop. Until the subscription succeeds it is
 * pending: events for the channel are held, then written right after {@code subscription_succeeded},
 * so a client never sees an event before its subscription nor misses one during it.
 */
final class Subscription {

    final Connection connection;
    final LocalChannel channel;
    final LoopSubscribers slot;
    /** This node's interest in the channel on the bus; the subscription succeeds only once it is ready. */
    final BusInterest.Lease lease;
    int slotIndex = -1;
    @Nullable PresenceMember member;
    boolean presenceJoined;
    boolean removed;
    /** The membership version of the member list this socket was sent; member events up to it are stale. */
    long presenceVersion = Long.MAX_VALUE;
    private @Nullable List<ByteBuf> pending = new ArrayList<>(0);
    /** The presence versions of the held frames (0 for other events), in step with {@code pending}. */
    private long @Nullable [] pendingVersions;

    Subscription(Connection connection, LocalChannel channel, LoopSubscribers slot, BusInterest.Lease lease) {
        this.connection = connection;
        this.channel = channel;
        this.slot = slot;
        this.lease = lease;
    }

    boolean isPending() {
        return pending != null;
    }

    /**
     * True for a member event that the member list sent to this socket already shows. Until that list is
     * known ({@link Long#MAX_VALUE}) nothing is decided here: held events are sorted out on activation.
     */
    boolean alreadyReflects(long eventPresenceVersion) {
        return eventPresenceVersion != 0 && presenceVersion != Long.MAX_VALUE && eventPresenceVersion <= presenceVersion;
    }

    /** Holds a frame while pending; false when the socket fell too far behind (held bytes over the limit). */
    boolean hold(ByteBuf frame, long eventPresenceVersion, long maxHeldBytes) {
        List<ByteBuf> held = pending;
        if (held == null) {
            return true;
        }
        long bytes = frame.readableBytes();
        for (ByteBuf buf : held) {
            bytes += buf.readableBytes();
        }
        if (bytes > maxHeldBytes) {
            return false;
        }
        if (eventPresenceVersion != 0) {
            if (pendingVersions == null) {
                pendingVersions = new long[Math.max(4, held.size() + 1)];
            }
            else if (pendingVersions.length <= held.size()) {
                pendingVersions = java.util.Arrays.copyOf(pendingVersions, held.size() * 2 + 1);
            }
            pendingVersions[held.size()] = eventPresenceVersion;
        }
        held.add(frame.retainedDuplicate());
        return true;
    }

    /**
     * Ends the pending state; returns the held frames, which the caller writes or releases. Member events
     * that the member list sent to the socket already shows are released here and not returned.
     */
    List<ByteBuf> activate() {
        List<ByteBuf> held = pending;
        long[] versions = pendingVersions;
        pending = null;
        pendingVersions = null;
        if (held == null) {
            return List.of();
        }
        if (versions == null) {
            return held;
        }
        List<ByteBuf> fresh = new ArrayList<>(held.size());
        for (int i = 0; i < held.size(); i++) {
            if (i < versions.length && alreadyReflects(versions[i])) {
                held.get(i).release();
            }
            else {
                fresh.add(held.get(i));
            }
        }
        return fresh;
    }

    void releaseHeld() {
        List<ByteBuf> held = pending;
        if (held != null) {
            held.forEach(ByteBuf::release);
            held.clear();
        }
        pendingVersions = null;
    }

    String channelName() {
        return channel.name.value();
    }
}
