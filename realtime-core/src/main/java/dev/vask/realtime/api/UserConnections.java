package dev.vask.realtime.api;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.ChannelEvent;
import reactor.core.publisher.Mono;

/**
 * Acts on a user's sockets: {@link #terminate} closes every socket signed in as the user with 4009
 * (pusher-js then does not reconnect on its own), on every node: the order travels on the bus to each node
 * where the user is signed in. Sockets where the user is only a presence member are not affected, as on Pusher.
 */
public final class UserConnections {

    private final Bus bus;

    public UserConnections(Bus bus) {
        this.bus = bus;
    }

    /** Completes once the order is handed to the bus; fails when the bus cannot take it. */
    public Mono<Void> terminate(AppId app, String userId) {
        return bus.publish(new ChannelEvent(app, ChannelName.TERMINATE_PREFIX + userId, "terminate", "{}", null, null));
    }
}
