package dev.vask.platform.push;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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

    private static final java.time.Duration TTL = java.time.Duration.ofMinutes(10);

    private record Loaded(PushApp app, long at) {
    }

    private final DatabaseClient database;
    private final SecretCipher cipher;
    private final String defaultSubject;
    private final Map<AppId, Mono<PushApp>> cache = new ConcurrentHashMap<>();
    /** The key id each loaded app had; absent while an app's entry is being (re)loaded. */
    private final Map<AppId, Long> currentKeys = new ConcurrentHashMap<>();
    /** What each app's last load gave, and when: read without subscribing by {@link #currentIfKnown}. */
    private final Map<AppId, Loaded> loaded = new ConcurrentHashMap<>();
    /**
     * Bumped before every forget (per app, and for all apps at once): a load that overlaps a forget does not keep what
     * it recorded, since it may have read the app before a rotation.
     */
    private final Map<AppId, AtomicLong> generations = new ConcurrentHashMap<>();
    private final AtomicLong allGeneration = new AtomicLong();
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
                allGeneration.incrementAndGet();
                currentKeys.clear();
                loaded.clear();
                cache.clear();
            }
        }, error -> { });
    }

    Mono<PushApp> get(AppId app) {
        return cache.computeIfAbsent(app, id -> load(id).cache(value -> TTL,
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

    /**
     * The app's settings when they are in memory, younger than the cache's TTL, and {@code keyId} is the key this node
     * knows as current: what {@link #isCurrent} and {@link #get} would answer without a query, read without building
     * a Mono per push. Null otherwise: the caller then takes the reactive road, which reads Postgres when needed.
     */
    @Nullable PushApp currentIfKnown(AppId app, long keyId) {
        Long known = currentKeys.get(app);
        Loaded entry = loaded.get(app);
        if (known == null || known != keyId || entry == null || System.nanoTime() - entry.at() > TTL.toNanos()) {
            return null;
        }
        // the entry may be newer than the id read above (a reload after a rotation): it must carry this very key
        return entry.app().key().filter(key -> key.id() == keyId).isPresent() ? entry.app() : null;
    }

    void forget(AppId app) {
        generation(app).incrementAndGet();
        currentKeys.remove(app);
        loaded.remove(app);
        cache.remove(app);
    }

    private Mono<PushApp> load(AppId app) {
        AtomicLong appGeneration = generation(app);
        long appLoadedIn = appGeneration.get();
        long allLoadedIn = allGeneration.get();
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
                .doOnNext(settings -> {
                    Loaded entry = new Loaded(settings, System.nanoTime());
                    Long keyId = settings.key().map(VapidKey::id).orElse(-1L);
                    loaded.put(app, entry);
                    currentKeys.put(app, keyId);
                    if (appGeneration.get() != appLoadedIn || allGeneration.get() != allLoadedIn) {
                        // a change was announced while this load ran: what it read may already be stale
                        loaded.remove(app, entry);
                        currentKeys.remove(app, keyId);
                    }
                });
    }

    private AtomicLong generation(AppId app) {
        return generations.computeIfAbsent(app, id -> new AtomicLong());
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
