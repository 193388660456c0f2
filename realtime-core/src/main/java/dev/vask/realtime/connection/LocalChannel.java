package dev.vask.realtime.connection;

import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vask.realtime.channel.ChannelName;
import io.netty.buffer.ByteBuf;

/**
 * A channel with subscribers on this node. Subscribers are grouped by event loop: a publish hands
 * each loop that has subscribers one task holding the encoded frame, and each loop writes it to its
 * own sockets. Per-loop order is the order of publishing, so per-publisher order per channel holds.
 */
final class LocalChannel {

    private static final LoopSubscribers[] NONE = new LoopSubscribers[0];

    final AppHub app;
    final ChannelName name;
    /** Sockets of this node subscribed to the channel (pending ones included). */
    final AtomicInteger subscriptions = new AtomicInteger();
    final AtomicBoolean countUpdateScheduled = new AtomicBoolean();
    volatile long lastCountUpdateNanos;
    private volatile LoopSubscribers[] slots = NONE;

    LocalChannel(AppHub app, ChannelName name) {
        this.app = app;
        this.name = name;
    }

    LoopSubscribers slot(LoopConnections loop) {
        LoopSubscribers[] current = slots;
        int i = loop.index;
        if (i < current.length && current[i] != null) {
            return current[i];
        }
        synchronized (this) {
            current = slots;
            if (i < current.length && current[i] != null) {
                return current[i];
            }
            LoopSubscribers[] grown = Arrays.copyOf(current, Math.max(current.length, i + 1));
            grown[i] = new LoopSubscribers(loop.loop);
            slots = grown;
            return grown[i];
        }
    }

    /** Hands the frame to every loop with subscribers; the caller keeps (and releases) its reference. */
    void deliver(ByteBuf frame, long excludeSequence, long presenceVersion, Hub hub) {
        for (LoopSubscribers slot : slots) {
            if (slot == null || slot.count == 0) {
                continue;
            }
            if (slot.loop.inEventLoop()) {
                hub.delivered(app, slot.deliver(frame, excludeSequence, presenceVersion, hub.maxHeldBytes));
                continue;
            }
            frame.retain();
            try {
                slot.loop.execute(() -> {
                    try {
                        hub.delivered(app, slot.deliver(frame, excludeSequence, presenceVersion, hub.maxHeldBytes));
                    }
                    finally {
                        frame.release();
                    }
                });
            }
            catch (RejectedExecutionException shuttingDown) {
                frame.release();
            }
        }
    }

    LoopSubscribers[] slots() {
        return slots;
    }
}
