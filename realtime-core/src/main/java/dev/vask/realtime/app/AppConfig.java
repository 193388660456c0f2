package dev.vask.realtime.app;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * An app as realtime and the HTTP API see it: identity, active credentials, toggles and limits, and the
 * current Web Push key's change event when Web Push is on (null otherwise). Immutable; a change in the tenant
 * database produces a new instance (see {@link AppDirectory#changes()}).
 */
public record AppConfig(AppId id, String name, boolean enabled, List<AppCredential> credentials,
        AppFeatures features, AppLimits limits, @Nullable VapidKeyEvent vapidKey) {

    /** An app without a Web Push key. */
    public AppConfig(AppId id, String name, boolean enabled, List<AppCredential> credentials, AppFeatures features, AppLimits limits) {
        this(id, name, enabled, credentials, features, limits, null);
    }

    public AppConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        credentials = List.copyOf(credentials);
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(limits, "limits");
    }

    /** The active credential with this public key, if the key belongs to this app and is not revoked. */
    public Optional<AppCredential> credential(String key) {
        for (AppCredential credential : credentials) {
            if (credential.key().equals(key)) { // keys are public (every browser has one): no constant-time compare needed
                return Optional.of(credential);
            }
        }
        return Optional.empty();
    }

    public boolean hasActiveKey(String key) {
        return credential(key).isPresent();
    }

    /** This app with another current Web Push key (null: none). */
    public AppConfig withVapidKey(@Nullable VapidKeyEvent key) {
        return new AppConfig(id, name, enabled, credentials, features, limits, key);
    }
}
