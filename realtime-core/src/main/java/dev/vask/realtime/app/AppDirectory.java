package dev.vask.realtime.app;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tenant configuration as realtime and the HTTP API see it: cached, and told when it changes.
 * A revoked key or a disabled app reaches every node within about a second, never after a TTL.
 *
 * <p>Implementations: {@link InMemoryAppDirectory} (tests, embedding) and platform-api's
 * {@code PostgresAppDirectory} (Postgres with LISTEN/NOTIFY).
 */
public interface AppDirectory {

    /**
     * The app that owns this public key, if the key exists and is not revoked.
     * Empty for an unknown or revoked key (the socket then gets 4001). A disabled app is returned
     * with {@code enabled == false}, so callers can answer 4003 rather than 4001.
     */
    Mono<AppConfig> findByKey(String key);

    /** The app with this id; empty when there is none (deleted or never existed). */
    Mono<AppConfig> findById(AppId id);

    /**
     * A hot stream of changes, one per changed app. Never completes while the directory lives;
     * after a lost connection to the source the implementation emits a change for every cached app,
     * because it cannot know what it missed.
     */
    Flux<AppChange> changes();
}
