package dev.vask.realtime.limits;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppId;
import reactor.core.publisher.Mono;

/**
 * An app's {@code maxConnections}, for the whole app. {@link LocalConnectionQuota} leaves it to the hub (one node
 * holds every socket); in a cluster, {@code RedisConnectionQuota} counts every node's sockets in Redis.
 */
public interface ConnectionQuota {

    /**
     * Takes one connection of the app's quota: true when the app may open one more socket (it is then counted),
     * false when it is at its limit (the socket is refused with 4004). Fails when the count cannot be read; the
     * socket is then refused with 4100 (try again later). Never blocks.
     */
    Mono<Boolean> tryAcquire(AppConfig app);

    /** Gives back one connection taken by {@link #tryAcquire}. Never blocks or fails. */
    void release(AppId app);
}
