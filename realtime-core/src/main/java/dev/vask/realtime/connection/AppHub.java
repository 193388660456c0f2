package dev.vask.realtime.connection;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppId;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
import dev.vask.realtime.metrics.AppTraffic;

/**
 * Everything this node holds for one app with open sockets: its current configuration (replaced
 * when the app changes, so new limits apply to new work at once), its channels, its signed-in users
 * and watchlists. Apps never share any of it.
 */
final class AppHub {

    final AppId id;
    /** The app's figures for metrics, outliving this hub (counted here without a lookup). */
    final AppTraffic traffic;
    volatile AppConfig config;
    final AtomicInteger connections = new AtomicInteger();
    final Map<String, LocalChannel> channels = new ConcurrentHashMap<>();
    /** Signed-in sockets by user id. */
    final Map<String, Set<Connection>> users = new ConcurrentHashMap<>();
    /** Sockets whose signed-in user watches a user id, by that user id. */
    final Map<String, Set<Connection>> watchers = new ConcurrentHashMap<>();
    /**
     * The app's {@code vask:vapid} event as a complete frame, encoded once on this node when the key changes and
     * written as is to every socket of the app (see WireFrames#shared); null while the app has no key.
     */
    volatile @Nullable ByteBuf vapidFrame;
    /** The newest key id this node applied (0: none yet), so that a config read before a rotation never brings the old key back. Guarded by this. */
    long vapidKeyId;

    AppHub(AppConfig config, AppTraffic traffic) {
        this.id = config.id();
        this.traffic = traffic;
        this.config = config;
    }
}
