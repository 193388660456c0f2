package dev.vask.realtime.fanout;

import dev.vask.realtime.app.AppId;
import reactor.core.publisher.Mono;

/**
 * Carries channel events to every node that has subscribers of the channel, this node included,
 * and hands them to that node's {@link LocalDelivery}. At most once, in publish order per publisher
 * and channel, no persistence.
 *
 * <p>{@link LocalBus} delivers in-process; {@code RedisBus} carries events through Redis pub/sub and
 * listens only to channels with local subscribers. The hub tells the bus about that interest, once per
 * channel and node: {@link #subscribed} at the first local subscriber, {@link #unsubscribed} a short delay
 * after the last one left. Both are called in order for one channel, never concurrently for it.
 */
public interface Bus extends AutoCloseable {

    /**
     * Sends the event to every node's subscribers: one message per event, whatever the number of nodes.
     * Completes when handed over; fails ({@link BusUnavailableException}) when it cannot be, so that the
     * caller never reports an event as sent that was dropped. Never blocks.
     */
    Mono<Void> publish(ChannelEvent event);

    /**
     * This node got its first subscriber of the channel: start receiving its events. The request starts
     * before this method returns (so that it is ordered with an earlier {@link #unsubscribed}); the Mono
     * completes once events published from then on will arrive, or fails when the node cannot listen
     * (the hub then refuses the subscriptions waiting on it with a retryable error). Never blocks.
     */
    Mono<Void> subscribed(AppId app, String channel);

    /** This node's last subscriber of the channel left (some time ago): stop receiving its events. Never blocks. */
    void unsubscribed(AppId app, String channel);

    @Override
    void close();
}
