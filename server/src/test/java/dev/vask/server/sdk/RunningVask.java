package dev.vask.server.sdk;

import java.time.Duration;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import dev.vask.platform.vapid.VapidKeys;
import dev.vask.server.VaskApplication;
import dev.vask.testing.database.TestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.awaitility.Awaitility.await;

/**
 * The whole server, every role, on a fresh database, with a first-start app of fixed credentials: what the
 * official SDKs are pointed at. Client events and watchlist events are switched on, as a developer would in
 * the dashboard, because the SDK tests use them.
 */
final class RunningVask implements AutoCloseable {

    static final String MASTER_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    final String appId;
    final String key;
    final String secret;
    final TestDatabase database;
    private final ConfigurableApplicationContext context;

    private RunningVask(String appId, String key, String secret) {
        this.appId = appId;
        this.key = key;
        this.secret = secret;
        this.database = TestDatabase.create();
        this.context = new SpringApplicationBuilder(VaskApplication.class).run("--server.port=0",
                "--vask.database-url=" + database.url(), "--vask.master-key=" + MASTER_KEY,
                "--vask.bootstrap.app-id=" + appId, "--vask.bootstrap.app-key=" + key, "--vask.bootstrap.app-secret=" + secret);
    }

    static RunningVask start(String appId, String key, String secret) {
        RunningVask vask = new RunningVask(appId, key, secret);
        vask.database.execute("update apps set client_events_enabled = true, watchlist_events_enabled = true where id = " + appId);
        vask.awaitApp(app -> app.features().clientEvents() && app.features().watchlistEvents());
        return vask;
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Waits until the app directory, which every request and socket reads, shows the app in this state. */
    void awaitApp(java.util.function.Predicate<AppConfig> state) {
        AppDirectory directory = context.getBean(AppDirectory.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            AppConfig app = directory.findById(new AppId(Long.parseLong(appId))).block(Duration.ofSeconds(2));
            return app != null && state.test(app);
        });
    }

    /** Turns Web Push on as the management API does (the app gets its VAPID key in the same step); answers the public key. */
    String enableWebPush() {
        long id = Long.parseLong(appId);
        database.execute("update apps set web_push_enabled = true where id = " + appId);
        context.getBean(VapidKeys.class).createIfMissing(id).block(Duration.ofSeconds(10));
        return currentVapidKey();
    }

    /** Rotates the VAPID key as the management API does: one transaction holding the app row's lock; answers the new public key. */
    String rotateVapidKey() {
        long id = Long.parseLong(appId);
        DatabaseClient sql = context.getBean(DatabaseClient.class);
        context.getBean(TransactionalOperator.class).transactional(sql.sql("select tenant_id from apps where id = :id for update")
                        .bind("id", id).map(row -> row.get("tenant_id", Long.class)).one()
                        .flatMap(tenant -> context.getBean(VapidKeys.class).replace(tenant, id)))
                .block(Duration.ofSeconds(10));
        return currentVapidKey();
    }

    String currentVapidKey() {
        return context.getBean(VapidKeys.class).current(Long.parseLong(appId)).map(VapidKeys.CurrentKey::publicKey).block(Duration.ofSeconds(10));
    }

    /** WebSockets open on this server now, as the realtime hub counts them. */
    int connections() {
        return context.getBean(dev.vask.realtime.connection.Hub.class).connectionCount();
    }

    @Override
    public void close() {
        context.close();
    }
}
