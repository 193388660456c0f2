package dev.vask.realtime.api;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.connection.Hub;
import reactor.core.publisher.Mono;

/**
 * Acts on a user's sockets: {@link #terminate} closes every socket signed in as the user with 4009
 * (pusher-js then does not reconnect on its own). Sockets where the user is only a presence member
 * are not affected, as on Pusher.
 */
public final class UserConnections {

    private final Hub hub;

    public UserConnections(Hub hub) {
        this.hub = hub;
    }

    /** Emits how many sockets are being closed. */
    public Mono<Integer> terminate(AppId app, String userId) {
        return Mono.fromSupplier(() -> hub.terminateUser(app, userId));
    }
}
