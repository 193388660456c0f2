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
    int slotIndex = -1;
    @Nullable PresenceMember member;
    boolean presenceJoined;
    boolean removed;
    private @Nullable List<ByteBuf> pending = new ArrayList<>(0);

    Subscription(Connection connection, LocalChannel channel, LoopSubscribers slot) {
        this.connection = connection;
        this.channel = channel;
        this.slot = slot;
    }

    boolean isPending() {
        return pending != null;
    }

    /** Holds a frame while pending; false when the socket fell too far behind (held bytes over the limit). */
    boolean hold(ByteBuf frame, long maxHeldBytes) {
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
        held.add(frame.retainedDuplicate());
        return true;
    }

    /** Ends the pending state; returns the held frames, which the caller writes or releases. */
    List<ByteBuf> activate() {
        List<ByteBuf> held = pending;
        pending = null;
        return held == null ? List.of() : held;
    }

    void releaseHeld() {
        List<ByteBuf> held = pending;
        if (held != null) {
            held.forEach(ByteBuf::release);
            held.clear();
        }
    }

    String channelName() {
        return channel.name.value();
    }
}
