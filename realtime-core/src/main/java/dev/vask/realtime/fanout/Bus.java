package dev.vask.realtime.fanout;

import dev.vask.realtime.app.AppId;
import reactor.core.publisher.Mono;

/**
 * Carries channel events to every node that has subscribers of the channel, this node included,
 * and hands them to that node's {@link LocalDelivery}. At most once, in publish order per publisher
 * and channel, no persistence.
 *
 * <p>{@link LocalBus} delivers in-process; a clustered implementation (Redis) replaces it without
 * any change to the protocol code, listening only to channels with local subscribers.
 */
public interface Bus extends AutoCloseable {

    /** Sends the event to every node's subscribers. Completes when handed over; never blocks. */
    Mono<Void> publish(ChannelEvent event);

    /** This node got its first subscriber of the channel: start receiving its events. */
    void subscribed(AppId app, String channel);

    /** This node's last subscriber of the channel left: stop receiving its events. */
    void unsubscribed(AppId app, String channel);

    @Override
    void close();
}
