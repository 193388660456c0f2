package dev.vask.realtime.connection;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;

import dev.vask.realtime.channel.ChannelName;
import io.netty.buffer.ByteBuf;

/**
 * A channel with subscribers on this node. Subscribers are grouped by event loop: a publish hands
 * each loop that has subscribers one task holding the encoded frame, and each loop writes it to its
 * own sockets. Per-loop order is the order of publishing, so per-publisher order per channel holds.
 */
final class LocalChannel {

    private static final LoopSubscribers[] NONE = new LoopSubscribers[0];
    // fields updated in place rather than an AtomicInteger and an AtomicBoolean: 32 bytes less per channel
    private static final VarHandle SUBSCRIPTIONS;
    private static final VarHandle COUNT_UPDATE_SCHEDULED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SUBSCRIPTIONS = lookup.findVarHandle(LocalChannel.class, "subscriptions", int.class);
            COUNT_UPDATE_SCHEDULED = lookup.findVarHandle(LocalChannel.class, "countUpdateScheduled", boolean.class);
        }
        catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final AppHub app;
    final ChannelName name;
    /** Sockets of this node subscribed to the channel (pending ones included). */
    private volatile int subscriptions;
    private volatile boolean countUpdateScheduled;
    volatile long lastCountUpdateNanos;
    private volatile LoopSubscribers[] slots = NONE;

    LocalChannel(AppHub app, ChannelName name) {
        this.app = app;
        this.name = name;
    }

    /** Sockets of this node subscribed to the channel (pending ones included). */
    int subscriptions() {
        return subscriptions;
    }

    /** One more subscriber; returns the new count. */
    int subscribed() {
        return (int) SUBSCRIPTIONS.getAndAdd(this, 1) + 1;
    }

    /** One subscriber less; returns the new count. */
    int unsubscribed() {
        return (int) SUBSCRIPTIONS.getAndAdd(this, -1) - 1;
    }

    /** True for the caller that gets to schedule the next subscription_count update, until {@link #countUpdateDone()}. */
    boolean scheduleCountUpdate() {
        return COUNT_UPDATE_SCHEDULED.compareAndSet(this, false, true);
    }

    void countUpdateDone() {
        countUpdateScheduled = false;
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
