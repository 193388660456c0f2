package dev.vask.platform.push;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.vask.platform.secret.SecretCipher;
import dev.vask.realtime.app.AppChange;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Each app's current VAPID key (decrypted), subject and fallback toggle, cached in memory and dropped the moment
 * the app directory announces a change of the app or of its key (the {@code vapid_keys} trigger), so a rotated
 * key stops signing on every node within the change feed's delay. {@link #isCurrent} is the check made right
 * before signing.
 */
final class PushApps implements AutoCloseable {

    private final DatabaseClient database;
    private final SecretCipher cipher;
    private final String defaultSubject;
    private final Map<AppId, Mono<PushApp>> cache = new ConcurrentHashMap<>();
    /** The key id each loaded app had; absent while an app's entry is being (re)loaded. */
    private final Map<AppId, Long> currentKeys = new ConcurrentHashMap<>();
    private final Disposable changes;

    PushApps(DatabaseClient database, SecretCipher cipher, String defaultSubject, AppDirectory directory) {
        this.database = database;
        this.cipher = cipher;
        this.defaultSubject = defaultSubject;
        this.changes = directory.changes().subscribe(change -> {
            if (change instanceof AppChange.Changed changed) {
                forget(changed.app());
            }
            else {
                cache.clear();
                currentKeys.clear();
            }
        }, error -> { });
    }

    Mono<PushApp> get(AppId app) {
        return cache.computeIfAbsent(app, id -> load(id).cache(value -> java.time.Duration.ofMinutes(10),
                error -> java.time.Duration.ZERO, () -> java.time.Duration.ZERO));
    }

    /**
     * Whether this key id is the app's current key. Answered from memory when it matches what was loaded since the
     * last change the directory announced; otherwise (a rotation this node has not heard of yet, or a destroyed
     * key) the app is read again from Postgres, so the answer is never "current" for a key that is gone.
     */
    Mono<Boolean> isCurrent(AppId app, long keyId) {
        Long known = currentKeys.get(app);
        if (known != null && known == keyId) {
            return Mono.just(true);
        }
        forget(app);
        return get(app).map(settings -> settings.key().map(key -> key.id() == keyId).orElse(false));
    }

    void forget(AppId app) {
        currentKeys.remove(app);
        cache.remove(app);
    }

    private Mono<PushApp> load(AppId app) {
        return database.sql("""
                        select a.vapid_subject, a.push_fallback_enabled, k.id as key_id, k.public_key, k.private_key_ciphertext
                        from apps a left join vapid_keys k on k.app_id = a.id
                        where a.id = :app""")
                .bind("app", app.value())
                .map(row -> {
                    Long keyId = row.get("key_id", Long.class);
                    Optional<VapidKey> key = Optional.empty();
                    if (keyId != null) {
                        String publicKey = row.get("public_key", String.class);
                        key = Optional.of(new VapidKey(keyId, P256.fromBase64url(publicKey),
                                VapidPrivateKeys.decrypt(cipher, bytes(row.get("private_key_ciphertext")), app.value())));
                    }
                    String subject = row.get("vapid_subject", String.class);
                    return new PushApp(key, subject != null ? subject : defaultSubject, Boolean.TRUE.equals(row.get("push_fallback_enabled", Boolean.class)));
                })
                .one()
                .defaultIfEmpty(new PushApp(Optional.empty(), defaultSubject, false))
                .doOnNext(settings -> settings.key().ifPresentOrElse(key -> currentKeys.put(app, key.id()), () -> currentKeys.put(app, -1L)));
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
        throw new IllegalStateException("vapid_keys.private_key_ciphertext is missing");
    }

    @Override
    public void close() {
        changes.dispose();
    }
}
