package dev.vask.realtime.fanout;

import dev.vask.realtime.app.AppId;
import reactor.core.publisher.Mono;

/** The single-node {@link Bus}: publishing is local delivery, on the publisher's thread. */
public final class LocalBus implements Bus {

    private final LocalDelivery delivery;

    public LocalBus(LocalDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public Mono<Void> publish(ChannelEvent event) {
        return Mono.fromRunnable(() -> delivery.deliver(event));
    }

    @Override
    public Mono<Void> subscribed(AppId app, String channel) {
        return Mono.empty(); // every event is local already
    }

    @Override
    public void unsubscribed(AppId app, String channel) {
        // every event is local already
    }

    @Override
    public void close() {
        // nothing held
    }
}
