package dev.vask.realtime.connection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A channel's subscribers on one event loop: a dense array, touched only by that loop, so delivery
 * is a plain loop over it with no locks and no per-subscriber allocation beyond Netty's buffer view.
 */
final class LoopSubscribers {

    private static final Subscription[] NONE = new Subscription[0];

    final EventLoop loop;
    private Subscription[] items = NONE;
    private int size;
    /** Written by the owning loop, read by publishers on other threads to skip empty slots. */
    volatile int count;

    LoopSubscribers(EventLoop loop) {
        this.loop = loop;
    }

    void add(Subscription subscription) {
        if (size == items.length) {
            items = Arrays.copyOf(items, Math.max(2, size * 2));
        }
        subscription.slotIndex = size;
        items[size++] = subscription;
        count = size;
    }

    void remove(Subscription subscription) {
        int i = subscription.slotIndex;
        if (i < 0 || i >= size || items[i] != subscription) {
            return;
        }
        Subscription last = items[--size];
        items[i] = last;
        last.slotIndex = i;
        items[size] = null;
        subscription.slotIndex = -1;
        count = size;
        if (size == 0) {
            items = NONE;
        }
    }

    /**
     * Writes the frame to every subscriber but the excluded socket. Runs on this slot's loop.
     * Returns the number of sockets written to. Sockets that cannot keep up are closed afterwards
     * (never while iterating: closing removes them from this array).
     */
    int deliver(ByteBuf frame, long excludeSequence, long presenceVersion, long maxHeldBytes) {
        int delivered = 0;
        List<Connection> slow = null;
        Subscription[] current = items;
        int n = size;
        for (int i = 0; i < n; i++) {
            Subscription subscription = current[i];
            Connection connection = subscription.connection;
            if (connection.sequence == excludeSequence || subscription.alreadyReflects(presenceVersion)) {
                continue;
            }
            boolean ok = subscription.isPending() ? subscription.hold(frame, presenceVersion, maxHeldBytes) : connection.write(frame);
            if (ok) {
                delivered++;
            }
            else {
                slow = slow == null ? new ArrayList<>(2) : slow;
                slow.add(connection);
            }
        }
        if (slow != null) {
            slow.forEach(Connection::closeSlow);
        }
        return delivered;
    }

    /** A copy of the subscribers' connections (on this loop only). */
    @Nullable Connection[] connections() {
        Connection[] result = new Connection[size];
        for (int i = 0; i < size; i++) {
            result[i] = items[i].connection;
        }
        return result;
    }
}
