package dev.vask.platform.key;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import dev.vask.platform.audit.AuditAction;
import dev.vask.platform.audit.AuditLog;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.Permission;
import dev.vask.platform.management.TenantAccess;
import dev.vask.platform.secret.SecretCipher;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An app's key/secret pairs. Secrets are generated here, encrypted under the master key
 * ({@link SecretCipher}, bound to the key), and decrypted only for callers allowed to read them.
 *
 * <p>Rotating a secret: create a new key, move clients and servers to it, then revoke the old one.
 * Revoking is final (the database refuses to clear {@code revoked_at}): the key's signatures stop
 * working and its sockets close on every node within about a second.
 */
@Service
public class KeyService {

    /** Active keys one app may hold: enough for a rotation with room to spare. */
    public static final int MAX_ACTIVE = 10;
    private static final Logger log = LoggerFactory.getLogger(KeyService.class);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final TenantAccess access;
    private final AuditLog audit;
    private final SecretCipher cipher;

    public KeyService(DatabaseClient database, TransactionalOperator transactions, TenantAccess access, AuditLog audit,
            SecretCipher cipher) {
        this.database = database;
        this.transactions = transactions;
        this.access = access;
        this.audit = audit;
        this.cipher = cipher;
    }

    /** The app's keys, active and revoked, oldest first; secrets only for developers and above. */
    public Flux<KeyView> list(Caller caller, long appId) {
        return access.requireApp(caller, appId, Permission.READ, false)
                .flatMapMany(app -> database.sql("""
                                select k.key, k.secret_ciphertext, k.label, k.created_at, k.revoked_at from app_keys k
                                join apps a on a.id = k.app_id
                                where k.app_id = :app and %s order by k.id""".formatted(TenantAccess.memberWithRole("a.tenant_id")))
                        .bind("app", appId)
                        .bind("caller", caller.accountId())
                        .bind("roles", Permission.READ.roleValues())
                        .map(row -> view(row, app.role().can(Permission.READ_SECRETS)))
                        .all());
    }

    public Mono<KeyView> get(Caller caller, long appId, String key) {
        return list(caller, appId).filter(view -> view.key().equals(key)).next()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("App " + appId + " has no key " + key)));
    }

    /** A new key and secret for the app; answers the secret in full (developers and above may read it later too). */
    public Mono<KeyView> create(Caller caller, long appId, @Nullable String label) {
        String key = KeyGenerator.newKey();
        String secret = KeyGenerator.newSecret();
        byte[] ciphertext = cipher.encrypt(secret, KeyGenerator.secretContext(key));
        String trimmedLabel = label == null ? null : label.strip();
        Mono<KeyView> create = access.requireApp(caller, appId, Permission.MANAGE_APPS, true)
                .flatMap(app -> {
                    var insert = database.sql("""
                                    insert into app_keys (app_id, key, secret_ciphertext, label)
                                    select a.id, :key, :secret, :label from apps a
                                    where a.id = :app and %s
                                      and (select count(*) from app_keys k where k.app_id = a.id and k.revoked_at is null) < :max
                                    returning key, secret_ciphertext, label, created_at, revoked_at"""
                                    .formatted(TenantAccess.memberWithRole("a.tenant_id")))
                            .bind("key", key)
                            .bind("secret", ciphertext)
                            .bind("app", appId)
                            .bind("caller", caller.accountId())
                            .bind("roles", Permission.MANAGE_APPS.roleValues())
                            .bind("max", MAX_ACTIVE);
                    insert = trimmedLabel == null ? insert.bindNull("label", String.class) : insert.bind("label", trimmedLabel);
                    Map<String, Object> details = new HashMap<>();
                    details.put("appId", appId);
                    if (trimmedLabel != null) {
                        details.put("label", trimmedLabel);
                    }
                    return insert.map(row -> view(row, true))
                            .one()
                            .switchIfEmpty(Mono.error(() -> ApiException.conflict("too-many-keys", "Too many keys",
                                    "An app holds at most " + MAX_ACTIVE + " active keys; revoke one first")))
                            .flatMap(view -> audit.record(caller, app.tenantId(), AuditAction.KEY_CREATED, key, details).thenReturn(view));
                })
                .doOnNext(view -> log.atInfo().addKeyValue("appId", appId).addKeyValue("key", key).log("App key created"));
        return transactions.transactional(create);
    }

    /**
     * Revokes the key. Revoking a revoked key answers it unchanged (no second audit entry); the
     * revocation time never moves and is never undone, whatever runs concurrently.
     */
    public Mono<KeyView> revoke(Caller caller, long appId, String key) {
        Mono<KeyView> revoke = access.requireApp(caller, appId, Permission.MANAGE_APPS, true)
                .flatMap(app -> database.sql("""
                                update app_keys k set revoked_at = now() from apps a
                                where k.app_id = :app and k.key = :key and k.revoked_at is null and a.id = k.app_id and %s
                                returning k.key""".formatted(TenantAccess.memberWithRole("a.tenant_id")))
                        .bind("app", appId)
                        .bind("key", key)
                        .bind("caller", caller.accountId())
                        .bind("roles", Permission.MANAGE_APPS.roleValues())
                        .map(row -> row.get("key", String.class))
                        .one()
                        .flatMap(revoked -> audit.record(caller, app.tenantId(), AuditAction.KEY_REVOKED, key, Map.of("appId", appId))
                                .doOnSuccess(done -> log.atInfo().addKeyValue("appId", appId).addKeyValue("key", key).log("App key revoked")))
                        .then(get(caller, appId, key)));
        return transactions.transactional(revoke);
    }

    private KeyView view(Readable row, boolean withSecret) {
        String key = row.get("key", String.class);
        OffsetDateTime revokedAt = row.get("revoked_at", OffsetDateTime.class);
        String secret = withSecret ? cipher.decrypt(bytes(row.get("secret_ciphertext")), KeyGenerator.secretContext(key)) : null;
        return new KeyView(key, secret, row.get("label", String.class), revokedAt == null,
                row.get("created_at", OffsetDateTime.class).toInstant(), revokedAt == null ? null : revokedAt.toInstant());
    }

    private static byte[] bytes(@Nullable Object value) {
        return switch (value) {
            case byte[] array -> array;
            case java.nio.ByteBuffer buffer -> {
                byte[] array = new byte[buffer.remaining()];
                buffer.get(array);
                yield array;
            }
            case null, default -> throw new IllegalStateException("unexpected bytea value " + value);
        };
    }
}
