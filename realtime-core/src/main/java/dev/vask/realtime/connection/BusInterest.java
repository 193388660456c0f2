package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.presence.ChannelKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * What this node listens to on the {@link Bus}: one lease per topic (a channel, or a signed-in user's
 * {@code #server-to-user-} channel), held by every local socket that needs it. The bus hears
 * {@link Bus#subscribed} when the first holder arrives and {@link Bus#unsubscribed} {@code delay} after
 * the last one left, unless a new holder came meanwhile: a reconnect storm costs Redis nothing.
 *
 * <p>Both calls happen inside the map's per-key lock, so for one topic they reach the bus in order.
 * A lease whose subscribe failed is forgotten at once: its holders are refused, and the next socket that
 * needs the topic tries again.
 */
final class BusInterest {

    private static final Logger log = LoggerFactory.getLogger(BusInterest.class);

    private final Map<ChannelKey, Lease> leases = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private final long delayNanos;
    private volatile Bus bus;

    BusInterest(Bus bus, Duration delay, Scheduler scheduler) {
        this.bus = bus;
        this.delayNanos = delay.toNanos();
        this.scheduler = scheduler;
    }

    void attach(Bus bus) {
        this.bus = bus;
    }

    /** One more local holder of the topic. */
    Lease acquire(AppId app, String topic) {
        Lease[] acquired = new Lease[1];
        boolean[] fresh = new boolean[1];
        leases.compute(new ChannelKey(app, topic), (key, existing) -> {
            Lease lease = existing;
            if (lease == null) {
                lease = new Lease(key, subscribe(key));
                fresh[0] = true;
            }
            lease.holders++;
            lease.generation++; // a release scheduled before this no longer applies
            acquired[0] = lease;
            return lease;
        });
        Lease lease = acquired[0];
        if (fresh[0] && !lease.readyNow()) {
            lease.ready.subscribe(null, error -> {
                log.atWarn().addKeyValue("appId", app).log("Could not listen to {}: {}", topic, error.getMessage());
                leases.remove(lease.key, lease);
            }, lease::listening);
        }
        return lease;
    }

    /** One holder less; the last one lets the bus unsubscribe after the delay. Releasing a failed lease does nothing. */
    void release(Lease lease) {
        leases.computeIfPresent(lease.key, (key, current) -> {
            if (current != lease || --current.holders > 0) {
                return current;
            }
            if (delayNanos <= 0) {
                unsubscribe(key);
                return null;
            }
            long generation = current.generation;
            scheduler.schedule(() -> expire(current, generation), delayNanos, TimeUnit.NANOSECONDS);
            return current;
        });
    }

    private void expire(Lease lease, long generation) {
        leases.computeIfPresent(lease.key, (key, current) -> {
            if (current != lease || current.holders > 0 || current.generation != generation) {
                return current;
            }
            unsubscribe(key);
            return null;
        });
    }

    /** Topics this node listens to now (leases waiting out their delay included). */
    int size() {
        return leases.size();
    }

    /** The topics this node listens to, for subscribing them again after a reconnection. */
    java.util.List<ChannelKey> topics() {
        return java.util.List.copyOf(leases.keySet());
    }

    private Mono<Void> subscribe(ChannelKey key) {
        try {
            return bus.subscribed(key.app(), key.channel());
        }
        catch (RuntimeException e) {
            return Mono.error(e);
        }
    }

    private void unsubscribe(ChannelKey key) {
        try {
            bus.unsubscribed(key.app(), key.channel());
        }
        catch (RuntimeException e) {
            log.atWarn().addKeyValue("appId", key.app()).log("Could not stop listening to {}: {}", key.channel(), e.getMessage());
        }
    }

    /** A topic this node listens to, shared by its local holders. Counts are guarded by the map's lock. */
    static final class Lease {

        /** What {@link #ready} is once the bus listens; no flag of its own, so a lease takes 32 bytes, not 40. */
        private static final Mono<Void> READY = Mono.empty();

        final ChannelKey key;
        /** Completes once the bus delivers the topic's events here; fails when it cannot. */
        volatile Mono<Void> ready;
        int holders;
        long generation;

        Lease(ChannelKey key, Mono<Void> subscribing) {
            this.key = key;
            this.ready = isComplete(subscribing) ? READY : subscribing.cache();
        }

        /** Ready (at creation on the single-node bus, or once the bus listens): callers go on without waiting. */
        boolean readyNow() {
            return ready == READY;
        }

        /** The bus listens: the subscribing chain is no longer needed, and a lease of an idle channel stays small. */
        void listening() {
            ready = READY;
        }

        private static boolean isComplete(Mono<Void> mono) {
            if (mono instanceof Fuseable.ScalarCallable<?> scalar) {
                try {
                    return scalar.call() == null;
                }
                catch (Exception e) {
                    return false;
                }
            }
            return false;
        }
    }
}
