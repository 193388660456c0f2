package dev.vask.platform.push;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import dev.vask.realtime.app.AppId;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code push_subscriptions} table. A subscription is bound to the VAPID key it was made with, inside the
 * insert: the row is written only if the key the client names is the app's key at that instant, so a
 * registration racing a rotation is either bound to the new key or refused, never bound to a destroyed key
 * (rotation deletes the old key's subscriptions by cascade).
 */
final class PushSubscriptions {

    /** Subscriptions one user may have in one app: bounds the fan-out of one push. */
    static final int MAX_PER_USER = 20;

    private final DatabaseClient database;

    PushSubscriptions(DatabaseClient database) {
        this.database = database;
    }

    /** What registering did. */
    sealed interface Registration {
        /** Stored; {@code created} is false when the endpoint was known and its row was updated. */
        record Stored(boolean created) implements Registration {
        }

        /** Not stored: the key named is not the app's key; {@code currentKey} is null when the app has none. */
        record StaleKey(@Nullable String currentKey) implements Registration {
        }

        /** Not stored: the user already has {@link #MAX_PER_USER} other subscriptions. */
        record TooMany() implements Registration {
        }
    }

    /** A subscription to push to, with the key it is bound to. */
    record Target(long id, String endpoint, byte[] p256dh, byte[] auth, long keyId, @Nullable Instant expires) {
    }

    Mono<Registration> register(AppId app, String userId, String endpoint, byte[] p256dh, byte[] auth, @Nullable Instant expires,
            String keyText) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                        with k as (select id from vapid_keys where app_id = :app and public_key = :key)
                        insert into push_subscriptions as s (app_id, user_id, endpoint, p256dh, auth, vapid_key_id, expiration_time)
                        select :app, :user, :endpoint, :p256dh, :auth, k.id, :expires from k
                        where (select count(*) from push_subscriptions o
                               where o.app_id = :app and o.user_id = :user and o.endpoint <> :endpoint) < :max
                        on conflict (app_id, endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh,
                            auth = excluded.auth, vapid_key_id = excluded.vapid_key_id, expiration_time = excluded.expiration_time,
                            consecutive_failures = 0
                        returning (xmax = 0) as created""")
                .bind("app", app.value())
                .bind("key", keyText)
                .bind("user", userId)
                .bind("endpoint", endpoint)
                .bind("p256dh", p256dh)
                .bind("auth", auth)
                .bind("max", MAX_PER_USER);
        insert = expires == null ? insert.bindNull("expires", OffsetDateTime.class) : insert.bind("expires", utc(expires));
        return insert
                .map(row -> (Registration) new Registration.Stored(Boolean.TRUE.equals(row.get("created", Boolean.class))))
                .one()
                // the key was deleted by a rotation between reading and inserting: the key is stale
                .onErrorResume(org.springframework.dao.DataIntegrityViolationException.class, error -> Mono.empty())
                .switchIfEmpty(Mono.defer(() -> whyNot(app, keyText)));
    }

    private Mono<Registration> whyNot(AppId app, String keyText) {
        return database.sql("select public_key from vapid_keys where app_id = :app")
                .bind("app", app.value())
                .map(row -> row.get("public_key", String.class))
                .one()
                .map(current -> current.equals(keyText) ? new Registration.TooMany() : (Registration) new Registration.StaleKey(current))
                .defaultIfEmpty(new Registration.StaleKey(null));
    }

    /** Deletes the user's subscription with this endpoint; true when there was one. */
    Mono<Boolean> delete(AppId app, String userId, String endpoint) {
        return database.sql("delete from push_subscriptions where app_id = :app and user_id = :user and endpoint = :endpoint")
                .bind("app", app.value())
                .bind("user", userId)
                .bind("endpoint", endpoint)
                .fetch().rowsUpdated()
                .map(rows -> rows > 0);
    }

    /** The user's subscriptions that are bound to the app's current key (all of them, since rotation cascades). */
    Flux<Target> targets(AppId app, String userId) {
        return database.sql("""
                        select s.id, s.endpoint, s.p256dh, s.auth, s.vapid_key_id, s.expiration_time
                        from push_subscriptions s join vapid_keys k on k.id = s.vapid_key_id
                        where s.app_id = :app and s.user_id = :user
                        order by s.id""")
                .bind("app", app.value())
                .bind("user", userId)
                .map(row -> {
                    OffsetDateTime expires = row.get("expiration_time", OffsetDateTime.class);
                    return new Target(row.get("id", Long.class), row.get("endpoint", String.class), bytes(row.get("p256dh")),
                            bytes(row.get("auth")), row.get("vapid_key_id", Long.class), expires == null ? null : expires.toInstant());
                })
                .all();
    }

    /** Deletes a subscription the push service no longer knows (404, 410) or that expired. */
    Mono<Void> deleteGone(long id) {
        return database.sql("delete from push_subscriptions where id = :id").bind("id", id).then();
    }

    /** Records a refusal that is not the subscription's end (400, 401, 403, 413). */
    Mono<Void> recordFailure(long id) {
        return database.sql("update push_subscriptions set consecutive_failures = consecutive_failures + 1 where id = :id")
                .bind("id", id).then();
    }

    static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static byte[] bytes(@Nullable Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] array = new byte[buffer.remaining()];
            buffer.duplicate().get(array);
            return array;
        }
        throw new IllegalStateException("a bytea column is missing");
    }
}
