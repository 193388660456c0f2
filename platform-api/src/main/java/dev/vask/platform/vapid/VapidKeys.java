package dev.vask.platform.vapid;

import java.time.Instant;
import java.time.OffsetDateTime;

import dev.vask.platform.secret.SecretCipher;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The {@code vapid_keys} table: at most one key pair per app (a unique index), the private scalar encrypted
 * under the master key with the app id as associated data, so a ciphertext copied to another app's row does not
 * decrypt. Nothing here ever keeps an old pair: replacing a key deletes its row in the same transaction that
 * inserts the new one, and the foreign key deletes every push subscription made with it. The row's trigger
 * announces the change on {@code vask_app_changes}, so every node's directory re-reads the app and realtime sends
 * the new key to the app's sockets.
 *
 * <p>Every method joins the caller's transaction: a key changes together with whatever made it change (the app's
 * toggle, its audit entry).
 */
@Component
public class VapidKeys {

    private static final Logger log = LoggerFactory.getLogger(VapidKeys.class);

    private final DatabaseClient database;
    private final SecretCipher cipher;

    public VapidKeys(DatabaseClient database, SecretCipher cipher) {
        this.database = database;
        this.cipher = cipher;
    }

    /** An app's current key pair as stored (its public half). */
    public record CurrentKey(long id, long appId, String publicKey, Instant createdAt) {

        /** The change event that announces this key. */
        public String event() {
            return VapidChangeEvent.json(createdAt, publicKey);
        }
    }

    /** A rotation that happened: the app's tenant, the destroyed pair's id (null if it had none) and the new pair. */
    public record Rotation(long tenantId, @Nullable Long oldKeyId, CurrentKey key) {
    }

    /**
     * The associated data that binds an encrypted private scalar to its app: {@code private_key_ciphertext} is
     * {@code SecretCipher.encrypt(scalar, privateKeyContext(appId))}, where {@code scalar} is the 32-byte P-256
     * private scalar as URL-safe base64 without padding (43 characters). Whoever signs with the key decrypts it so.
     */
    public static String privateKeyContext(long appId) {
        // one definition, shared with the push package that decrypts the key to sign with it
        return dev.vask.platform.push.VapidPrivateKeys.context(appId);
    }

    /** Gives the app a key pair if it has none (Web Push was just turned on). In the caller's transaction. */
    public Mono<Void> createIfMissing(long appId) {
        return sealedPair(appId).flatMap(pair -> database.sql("""
                        insert into vapid_keys (app_id, public_key, private_key_ciphertext) values (:app, :public, :private)
                        on conflict (app_id) do nothing""")
                .bind("app", appId)
                .bind("public", pair.publicKey())
                .bind("private", pair.ciphertext())
                .fetch().rowsUpdated()
                .doOnNext(created -> {
                    if (created == 1) {
                        log.atInfo().addKeyValue("appId", appId).log("Web Push key created");
                    }
                }))
                .then();
    }

    /** Deletes the app's key pair and, by cascade, its push subscriptions (Web Push was turned off). In the caller's transaction. */
    public Mono<Void> destroy(long appId) {
        return database.sql("delete from vapid_keys where app_id = :app")
                .bind("app", appId)
                .fetch().rowsUpdated()
                .doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.atInfo().addKeyValue("appId", appId).log("Web Push key destroyed with its subscriptions");
                    }
                })
                .then();
    }

    /**
     * Replaces the app's key pair: deletes the current row (its private key, and by cascade every subscription made
     * with it) and inserts a new pair. In the caller's transaction, which must hold the app row's lock
     * ({@code select ... for update}), so that two rotations of one app never interleave. Answers the id of the
     * destroyed pair (empty when there was none) and the new pair.
     */
    public Mono<Rotation> replace(long tenantId, long appId) {
        return database.sql("delete from vapid_keys where app_id = :app returning id")
                .bind("app", appId)
                .map(row -> row.get("id", Long.class))
                .all()
                .collectList()
                .flatMap(old -> insert(appId).map(key -> new Rotation(tenantId, old.isEmpty() ? null : old.getFirst(), key)))
                .doOnNext(rotation -> log.atInfo().addKeyValue("appId", appId).addKeyValue("vapidKeyId", rotation.key().id())
                        .log("Web Push key rotated"));
    }

    /** The app's current key pair; empty when it has none (Web Push off). */
    public Mono<CurrentKey> current(long appId) {
        return database.sql("select id, app_id, public_key, created_at from vapid_keys where app_id = :app")
                .bind("app", appId)
                .map(VapidKeys::currentKey)
                .one();
    }

    /** Up to {@code limit} apps with Web Push on whose key is older than their rotation period, most overdue first. */
    Flux<Long> due(int limit) {
        return database.sql("""
                        select a.id from apps a join vapid_keys v on v.app_id = a.id
                        where a.web_push_enabled and v.created_at + a.vapid_rotation_period <= now()
                        order by v.created_at + a.vapid_rotation_period limit :limit""")
                .bind("limit", limit)
                .map(row -> row.get("id", Long.class))
                .all();
    }

    /**
     * Rotates the app's key if it is still due, in the caller's transaction. The app row is locked with
     * {@code skip locked}: when another node is rotating this app right now, this one leaves it (empty). The due
     * check runs again after the lock, in a statement that sees every rotation committed before, so a key that
     * another node replaced a moment ago is not replaced a second time (empty).
     */
    Mono<Rotation> rotateIfDue(long appId) {
        return database.sql("select tenant_id from apps where id = :app and web_push_enabled for update skip locked")
                .bind("app", appId)
                .map(row -> row.get("tenant_id", Long.class))
                .one()
                .filterWhen(tenant -> database.sql("""
                                select 1 from vapid_keys v join apps a on a.id = v.app_id
                                where v.app_id = :app and v.created_at + a.vapid_rotation_period <= now()""")
                        .bind("app", appId)
                        .map(row -> 1)
                        .all()
                        .hasElements())
                .flatMap(tenant -> replace(tenant, appId));
    }

    private Mono<CurrentKey> insert(long appId) {
        return sealedPair(appId).flatMap(pair -> database.sql("""
                        insert into vapid_keys (app_id, public_key, private_key_ciphertext) values (:app, :public, :private)
                        returning id, app_id, public_key, created_at""")
                .bind("app", appId)
                .bind("public", pair.publicKey())
                .bind("private", pair.ciphertext())
                .map(VapidKeys::currentKey)
                .one());
    }

    /** A new pair with its private scalar encrypted; generated on a worker thread (key generation and randomness may block). */
    private Mono<SealedPair> sealedPair(long appId) {
        return Mono.fromCallable(() -> {
            VapidKeyPair pair = VapidKeyPair.generate();
            byte[] ciphertext = cipher.encrypt(pair.privateScalarText(), privateKeyContext(appId));
            java.util.Arrays.fill(pair.privateScalar(), (byte) 0);
            return new SealedPair(pair.publicKeyText(), ciphertext);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private record SealedPair(String publicKey, byte[] ciphertext) {
    }

    static CurrentKey currentKey(Readable row) {
        return new CurrentKey(row.get("id", Long.class), row.get("app_id", Long.class), row.get("public_key", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
