package dev.vask.platform.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vask.platform.key.KeyGenerator;
import dev.vask.platform.plan.Plan;
import dev.vask.platform.secret.SecretCipher;
import dev.vask.platform.vapid.VapidChangeEvent;
import dev.vask.realtime.app.AppChange;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.VapidKeyEvent;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The {@link AppDirectory} over the tenant database: two Caffeine caches (key to app id, app id to
 * config) that {@link AppChangeFeed} empties as soon as Postgres announces a change on
 * {@code vask_app_changes}. Secrets are decrypted once per load and held only in memory.
 *
 * <p>The limits it answers are the ones every node enforces: each of the app's own limits bounded by
 * its tenant's {@link Plan} (the default plan when the tenant has none), so a plan's ceiling holds
 * whatever the app's row says. A change of the plan, or of the tenant's plan, is announced like a
 * change of the app.
 */
public final class PostgresAppDirectory implements AppDirectory {

    private static final Duration SAFETY_EXPIRY = Duration.ofMinutes(10);

    private static final String SELECT_APP = """
            select a.id, a.name, a.enabled,
                   a.client_events_enabled, a.user_authentication_required, a.watchlist_events_enabled,
                   a.subscription_count_enabled, a.web_push_enabled,
                   a.max_connections, a.max_message_bytes, a.client_events_per_second,
                   a.max_presence_members, a.max_messages_per_day,
                   t.plan_id, p.name as plan_name, p.max_connections as plan_max_connections,
                   p.max_message_bytes as plan_max_message_bytes, p.max_messages_per_day as plan_max_messages_per_day,
                   p.client_events_per_second as plan_client_events_per_second,
                   k.key, k.secret_ciphertext,
                   v.id as vapid_key_id, v.public_key as vapid_public_key, v.created_at as vapid_created_at
            from apps a
            join tenants t on t.id = a.tenant_id
            left join plans p on p.id = t.plan_id
            left join app_keys k on k.app_id = a.id and k.revoked_at is null
            left join vapid_keys v on v.app_id = a.id and a.web_push_enabled
            where a.id = :id
            order by k.id
            """;

    private final DatabaseClient database;
    private final SecretCipher cipher;
    private final AppChangeFeed feed;
    private final Plan defaultPlan;
    private final Sinks.Many<AppChange> changes = Sinks.many().multicast().directBestEffort();
    private @Nullable Disposable listening;
    // Optional values: an unknown key or id is cached too (a flood of bad keys must not reach the
    // database), and emptied by any change notification.
    private final AsyncCache<String, Optional<AppId>> appIdsByKey = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(SAFETY_EXPIRY).buildAsync();
    private final AsyncCache<AppId, Optional<AppConfig>> appsById = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(SAFETY_EXPIRY).buildAsync();

    public PostgresAppDirectory(DatabaseClient database, SecretCipher cipher, AppChangeFeed feed, Plan defaultPlan) {
        this.database = database;
        this.cipher = cipher;
        this.feed = feed;
        this.defaultPlan = defaultPlan;
    }

    @Override
    public Mono<AppConfig> findByKey(String key) {
        if (!KeyGenerator.isValidKey(key)) {
            return Mono.empty(); // cannot exist; not worth a cache entry
        }
        CompletableFuture<Optional<AppId>> idLookup = appIdsByKey.get(key, (k, executor) -> loadAppId(k));
        AppConfig cached = cachedApp(idLookup, key);
        if (cached != null) {
            return Mono.just(cached); // the publish path's case: both entries loaded, no operator chain needed
        }
        return Mono.fromFuture(idLookup)
                .flatMap(Mono::justOrEmpty)
                .flatMap(id -> findById(id).flatMap(app -> app.hasActiveKey(key) ? Mono.just(app) : reloadForNewKey(id, key)));
    }

    /** The app of a key when both cache entries are loaded and the key is one of its active keys; null otherwise. */
    private @Nullable AppConfig cachedApp(CompletableFuture<Optional<AppId>> idLookup, String key) {
        Optional<AppId> id = idLookup.isDone() && !idLookup.isCompletedExceptionally() ? idLookup.getNow(Optional.empty()) : Optional.empty();
        if (id.isEmpty()) {
            return null;
        }
        CompletableFuture<Optional<AppConfig>> appLookup = appsById.getIfPresent(id.get());
        if (appLookup == null || !appLookup.isDone() || appLookup.isCompletedExceptionally()) {
            return null;
        }
        AppConfig app = appLookup.getNow(Optional.empty()).orElse(null);
        return app != null && app.hasActiveKey(key) ? app : null;
    }

    /**
     * The key belongs to the app, but the cached config predates it (the key was created after the app was
     * cached and its notification has not arrived yet): read the app once more rather than refuse the key.
     */
    private Mono<AppConfig> reloadForNewKey(AppId id, String key) {
        appsById.synchronous().invalidate(id);
        return findById(id).filter(app -> app.hasActiveKey(key));
    }

    @Override
    public Mono<AppConfig> findById(AppId id) {
        return Mono.fromFuture(appsById.get(id, (k, executor) -> loadApp(k))).flatMap(Mono::justOrEmpty);
    }

    /** Subscribers see a change after the cache entries it concerns were evicted. */
    @Override
    public Flux<AppChange> changes() {
        return changes.asFlux();
    }

    /** Starts listening for changes; evictions happen whether or not anyone subscribes to {@link #changes()}. */
    public synchronized void start() {
        if (listening == null) {
            // one subscriber emits, so emissions into the sink are serialized
            listening = feed.changes().subscribe(this::apply);
        }
    }

    /**
     * A change this node committed itself (such as a Web Push key rotation), published as an application event:
     * applied at once, so that a socket opening here right after the change sees it; PostgreSQL's notification of
     * the same change follows and changes nothing more.
     */
    @EventListener
    public void changedHere(AppChange change) {
        apply(change);
    }

    // synchronized: the feed and changedHere may emit at once, and the sink takes one emitter at a time
    private synchronized void apply(AppChange change) {
        evict(change);
        changes.tryEmitNext(change);
    }

    public synchronized void stop() {
        if (listening != null) {
            listening.dispose();
            listening = null;
        }
    }

    private void evict(AppChange change) {
        switch (change) {
            case AppChange.Changed(AppId app) -> {
                appsById.synchronous().invalidate(app);
                // negative entries too: a new key of this app may have been cached as unknown
                appIdsByKey.asMap().entrySet().removeIf(entry -> pointsToOrUnknown(entry.getValue(), app));
            }
            case AppChange.Unknown() -> {
                appsById.synchronous().invalidateAll();
                appIdsByKey.synchronous().invalidateAll();
            }
        }
    }

    private static boolean pointsToOrUnknown(CompletableFuture<Optional<AppId>> future, AppId app) {
        if (!future.isDone() || future.isCompletedExceptionally()) {
            return true;
        }
        Optional<AppId> value = future.getNow(Optional.empty());
        return value.isEmpty() || value.get().equals(app);
    }

    private CompletableFuture<Optional<AppId>> loadAppId(String key) {
        return database.sql("select app_id from app_keys where key = :key and revoked_at is null")
                .bind("key", key)
                .map(row -> new AppId(row.get("app_id", Long.class)))
                .one()
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }

    private CompletableFuture<Optional<AppConfig>> loadApp(AppId id) {
        return database.sql(SELECT_APP)
                .bind("id", id.value())
                .map(row -> AppRow.read(row, defaultPlan))
                .all()
                .collectList()
                .map(rows -> rows.isEmpty() ? Optional.<AppConfig>empty() : Optional.of(toConfig(rows)))
                .toFuture();
    }

    private AppConfig toConfig(List<AppRow> rows) {
        AppRow app = rows.getFirst();
        List<AppCredential> credentials = new ArrayList<>(rows.size());
        for (AppRow row : rows) {
            if (row.key() != null && row.secretCiphertext() != null) {
                String secret = cipher.decrypt(row.secretCiphertext(), KeyGenerator.secretContext(row.key()));
                credentials.add(new AppCredential(row.key(), secret));
            }
        }
        return new AppConfig(new AppId(app.id()), app.name(), app.enabled(), credentials, app.features(), app.plan().bound(app.limits()),
                app.vapidKey());
    }

    /** One row of {@link #SELECT_APP}: the app's columns repeated once per active key. */
    private record AppRow(long id, String name, boolean enabled, AppFeatures features, AppLimits limits, Plan plan,
            @Nullable String key, byte @Nullable [] secretCiphertext, @Nullable VapidKeyEvent vapidKey) {

        static AppRow read(Readable row, Plan defaultPlan) {
            Long planId = row.get("plan_id", Long.class);
            Plan plan = planId == null ? defaultPlan : new Plan(planId, row.get("plan_name", String.class),
                    row.get("plan_max_connections", Integer.class), row.get("plan_max_message_bytes", Integer.class),
                    row.get("plan_max_messages_per_day", Long.class), null, row.get("plan_client_events_per_second", Integer.class));
            return new AppRow(
                    row.get("id", Long.class),
                    row.get("name", String.class),
                    row.get("enabled", Boolean.class),
                    new AppFeatures(
                            row.get("client_events_enabled", Boolean.class),
                            row.get("user_authentication_required", Boolean.class),
                            row.get("watchlist_events_enabled", Boolean.class),
                            row.get("subscription_count_enabled", Boolean.class),
                            row.get("web_push_enabled", Boolean.class)),
                    new AppLimits(
                            row.get("max_connections", Integer.class),
                            row.get("max_message_bytes", Integer.class),
                            row.get("client_events_per_second", Integer.class),
                            row.get("max_presence_members", Integer.class),
                            row.get("max_messages_per_day", Long.class)),
                    plan,
                    row.get("key", String.class),
                    bytes(row.get("secret_ciphertext")),
                    vapidKey(row));
        }

        /** The app's Web Push key as the change event its sockets hear; null while Web Push is off. */
        private static @Nullable VapidKeyEvent vapidKey(Readable row) {
            Long id = row.get("vapid_key_id", Long.class);
            if (id == null) {
                return null;
            }
            java.time.OffsetDateTime created = row.get("vapid_created_at", java.time.OffsetDateTime.class);
            return new VapidKeyEvent(id, VapidChangeEvent.json(created.toInstant(), row.get("vapid_public_key", String.class)));
        }

        private static byte @Nullable [] bytes(@Nullable Object value) {
            return switch (value) {
                case null -> null;
                case byte[] array -> array;
                case java.nio.ByteBuffer buffer -> {
                    byte[] array = new byte[buffer.remaining()];
                    buffer.get(array);
                    yield array;
                }
                default -> throw new IllegalStateException("unexpected bytea type " + value.getClass());
            };
        }
    }
}
