package dev.vask.platform.directory;

import java.time.Duration;

import dev.vask.realtime.app.AppChange;
import dev.vask.realtime.app.AppId;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Changes to apps and keys as Postgres announces them: {@code LISTEN vask_app_changes} on a dedicated,
 * unpooled connection (the triggers of migration V1 send the app id on every insert, update and delete).
 *
 * <p>The connection is checked every {@code heartbeat}; when it breaks, the feed reconnects with
 * backoff and, once listening again, emits {@link AppChange.Unknown} because what happened in
 * between is lost. It emits that same event right after the first LISTEN, since lookups may have
 * been cached before it.
 */
public final class AppChangeFeed {

    static final String CHANNEL = "vask_app_changes";
    private static final Logger log = LoggerFactory.getLogger(AppChangeFeed.class);

    private final ConnectionFactory connections;
    private final Duration heartbeat;

    public AppChangeFeed(ConnectionFactory connections, Duration heartbeat) {
        this.connections = unpooled(connections);
        this.heartbeat = heartbeat;
    }

    /** Cold: each subscription opens its own connection. Never completes; errors are retried. */
    public Flux<AppChange> changes() {
        return Flux.usingWhen(connections.create(), this::listen, connection -> connection.close())
                .concatWith(Mono.error(() -> new IllegalStateException("LISTEN connection closed")))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
                        .maxBackoff(Duration.ofSeconds(5))
                        .transientErrors(true)
                        .doBeforeRetry(signal -> log.atWarn()
                                .addKeyValue("attempt", signal.totalRetriesInARow() + 1)
                                .log("App change feed lost its database connection ({}); reconnecting",
                                        signal.failure().getMessage())));
    }

    private Flux<AppChange> listen(io.r2dbc.spi.Connection connection) {
        PostgresqlConnection postgres = (PostgresqlConnection) connection;
        Mono<Void> listen = postgres.createStatement("LISTEN " + CHANNEL).execute()
                .flatMap(PostgresqlResult::getRowsUpdated).then();
        Flux<AppChange> notifications = postgres.getNotifications()
                .flatMap(notification -> Mono.justOrEmpty(notification.getParameter()).flatMap(text -> Mono.justOrEmpty(AppId.parse(text))))
                .map(AppChange::of);
        Flux<AppChange> heartbeatFailures = Flux.interval(heartbeat)
                .concatMap(tick -> postgres.createStatement("select 1").execute()
                        .flatMap(result -> result.map(row -> 1)).then()
                        .timeout(heartbeat))
                .thenMany(Flux.empty());
        return listen.thenMany(Flux.merge(Flux.just(AppChange.unknown()).concatWith(notifications), heartbeatFailures))
                .doOnSubscribe(subscription -> log.debug("Listening for app changes on {}", CHANNEL));
    }

    private static ConnectionFactory unpooled(ConnectionFactory factory) {
        ConnectionFactory current = factory;
        while (current instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner) {
            current = inner;
        }
        if (!(current instanceof io.r2dbc.postgresql.PostgresqlConnectionFactory)) {
            throw new IllegalStateException("The app directory needs a PostgreSQL R2DBC connection factory, not "
                    + current.getClass().getName());
        }
        return current;
    }
}
