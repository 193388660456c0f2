package dev.vask.realtime.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.vask.realtime.app.AppId;

/**
 * One app's figures on this node, counted where they happen: the hub holds a reference per app, so counting a
 * delivery is one add to a {@link LongAdder}, with no lookup and no Micrometer call. Counters only grow;
 * connections and subscriptions go up and down. {@link AppTrafficMeters} reads them when Prometheus scrapes.
 */
public final class AppTraffic {

    final AppId app;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger subscriptions = new AtomicInteger();
    final LongAdder apiMessages = new LongAdder();
    final LongAdder clientEvents = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder slowCloses = new LongAdder();
    final LongAdder[] refusals = new LongAdder[Refusal.values().length];

    AppTraffic(AppId app) {
        this.app = app;
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    public AppId app() {
        return app;
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void subscribed() {
        subscriptions.incrementAndGet();
    }

    public void unsubscribed() {
        subscriptions.decrementAndGet();
    }

    /** Messages the HTTP API accepted: one per channel an event was published to, as Pusher counts. */
    public void apiMessages(int count) {
        if (count > 0) {
            apiMessages.add(count);
        }
    }

    public void clientEvent() {
        clientEvents.increment();
    }

    /** Event frames written to the app's sockets, one per receiving socket. */
    public void delivered(int frames) {
        if (frames > 0) {
            deliveries.add(frames);
        }
    }

    /** A socket closed with 4100 because it did not read its events fast enough. */
    public void slowClose() {
        slowCloses.increment();
    }

    public void refused(Refusal reason) {
        refusals[reason.ordinal()].increment();
    }

    public int connections() {
        return connections.get();
    }

    public int subscriptions() {
        return subscriptions.get();
    }

    public long apiMessages() {
        return apiMessages.sum();
    }

    public long clientEvents() {
        return clientEvents.sum();
    }

    public long deliveries() {
        return deliveries.sum();
    }

    public long slowCloses() {
        return slowCloses.sum();
    }

    public long refusals(Refusal reason) {
        return refusals[reason.ordinal()].sum();
    }

    /** What ranks the app among the busiest: everything it sent and received. */
    long activity() {
        return apiMessages() + clientEvents() + deliveries();
    }
}
