package dev.vask.realtime.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.InMemoryAppDirectory;

/** Apps for tests: each test makes its own, with a unique id and key, so tests never share state. */
public final class TestApps {

    private static final AtomicLong NEXT = new AtomicLong(1000);

    private TestApps() {
    }

    public static AppConfig create(InMemoryAppDirectory directory) {
        return create(directory, app -> app);
    }

    /** An enabled app with one key, client events and watchlists on (subscription counting off, as on Pusher), default limits, then {@code customize}d. */
    public static AppConfig create(InMemoryAppDirectory directory, UnaryOperator<AppConfig> customize) {
        long id = NEXT.incrementAndGet();
        AppConfig app = customize.apply(new AppConfig(new AppId(id), "test app " + id, true,
                List.of(new AppCredential("key-" + id, "secret-" + id)),
                new AppFeatures(true, false, true, false, false), AppLimits.DEFAULTS));
        directory.put(app);
        return app;
    }

    public static String key(AppConfig app) {
        return app.credentials().getFirst().key();
    }

    public static String secret(AppConfig app) {
        return app.credentials().getFirst().secret();
    }

    public static AppConfig withFeatures(AppConfig app, AppFeatures features) {
        return new AppConfig(app.id(), app.name(), app.enabled(), app.credentials(), features, app.limits());
    }

    public static AppConfig withLimits(AppConfig app, AppLimits limits) {
        return new AppConfig(app.id(), app.name(), app.enabled(), app.credentials(), app.features(), limits);
    }

    public static AppConfig disabled(AppConfig app) {
        return new AppConfig(app.id(), app.name(), false, app.credentials(), app.features(), app.limits());
    }

    public static AppConfig withCredentials(AppConfig app, List<AppCredential> credentials) {
        return new AppConfig(app.id(), app.name(), app.enabled(), credentials, app.features(), app.limits());
    }
}
