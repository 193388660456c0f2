package dev.vask.realtime.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.vask.realtime.RealtimeProperties;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.VapidKeyEvent;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.channel.ChannelType;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.fanout.LocalBus;
import dev.vask.realtime.fanout.LocalDelivery;
import dev.vask.realtime.metrics.AppMetricsProperties;
import dev.vask.realtime.metrics.AppTraffic;
import dev.vask.realtime.metrics.AppTrafficMeters;
import dev.vask.realtime.metrics.Refusal;
import dev.vask.realtime.protocol.OutboundFrames;
import dev.vask.realtime.protocol.PusherError;
import dev.vask.realtime.protocol.PusherEvents;
import dev.vask.realtime.usage.UsageRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * This node's sockets, by app: who is connected, who is subscribed to what, who is signed in as whom.
 * It is the {@link LocalDelivery} behind the bus: an event becomes one encoded frame, handed to each
 * event loop that has subscribers of the channel. It also tells the bus what this node listens to (see
 * {@link BusInterest}): a channel from its first local subscriber, a user's events from its first signed-in socket.
 */
public final class Hub implements LocalDelivery {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Map<AppId, AppHub> apps = new ConcurrentHashMap<>();
    final EventLoops loops;
    final SocketIds socketIds;
    final RealtimeProperties properties;
    final long maxHeldBytes;
    private final UsageRecorder usage;
    private final AppTrafficMeters traffic;
    /** The sockets' own allocator (Netty's default): a frame from it is written as cheaply as one the socket allocated itself. */
    private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean draining;
    private final io.netty.channel.WriteBufferWaterMark waterMark;
    private final BusInterest interest;
    private volatile NodeActivity activity = new LocalActivity();

    public Hub(RealtimeProperties properties, SocketIds socketIds, UsageRecorder usage) {
        this(properties, socketIds, usage, new AppTrafficMeters(AppMetricsProperties.defaults(), Schedulers.parallel()), Duration.ZERO,
                Schedulers.parallel());
    }

    /**
     * @param traffic each app's figures for metrics
     * @param unsubscribeDelay how long the bus keeps listening to a topic after its last local holder left
     * @param timer runs those delayed unsubscribes
     */
    public Hub(RealtimeProperties properties, SocketIds socketIds, UsageRecorder usage, AppTrafficMeters traffic, Duration unsubscribeDelay,
            Scheduler timer) {
        this.interest = new BusInterest(new LocalBus(this), unsubscribeDelay, timer);
        this.properties = properties;
        this.socketIds = socketIds;
        this.usage = usage;
        this.traffic = traffic;
        this.maxHeldBytes = properties.maxOutboundBuffer().toBytes();
        int high = (int) Math.min(Integer.MAX_VALUE, maxHeldBytes);
        this.waterMark = new io.netty.channel.WriteBufferWaterMark(high / 2, high);
        long shortest = Math.min(properties.pongTimeout().toNanos(), properties.userAuthenticationTimeout().toNanos());
        long sweep = Math.clamp(shortest / 4, TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(5));
        this.loops = new EventLoops(sweep);
    }

    /** The bus this node's interest is reported to (until called: in-process delivery, which needs no report). */
    public void attach(Bus bus) {
        interest.attach(bus);
    }

    /** Where this node reports its activity in a cluster (until called: the hub itself, exact for one node). */
    public void attach(NodeActivity clusterActivity) {
        this.activity = clusterActivity;
    }

    /** Topics this node listens to on the bus (channels and signed-in users, leases waiting out their delay included). */
    public int busTopicCount() {
        return interest.size();
    }

    /** The topics this node listens to on the bus, as (app, channel): what a bus subscribes again after a reconnection. */
    public java.util.List<dev.vask.realtime.presence.ChannelKey> busTopics() {
        return interest.topics();
    }

    // ---- connections ----

    /** Counts a new socket of the app; null when the app is at its connection limit. */
    @Nullable AppHub acquire(AppConfig config) {
        AppHub[] acquired = new AppHub[1];
        apps.compute(config.id(), (id, existing) -> {
            AppHub app = existing == null ? new AppHub(config, traffic.of(id)) : existing;
            app.config = config;
            int open = app.connections.get();
            if (config.limits().allowsConnections(open)) {
                app.connections.incrementAndGet();
                acquired[0] = app;
            }
            return app.connections.get() == 0 && app.channels.isEmpty() ? null : app;
        });
        if (acquired[0] != null) {
            connections.incrementAndGet();
            acquired[0].traffic.connectionOpened();
            usage.connectionOpened(config.id(), acquired[0].connections.get());
            // the lookup behind this socket may have seen a key this node has not applied yet: apply it before the
            // socket opens, so that it, and every socket already open, hear the newest key (older ones are ignored)
            applyVapidKey(acquired[0], config.vapidKey(), false);
        }
        return acquired[0];
    }

    void release(AppHub app) {
        int[] left = new int[1];
        apps.computeIfPresent(app.id, (id, current) -> {
            left[0] = current.connections.decrementAndGet();
            return left[0] == 0 && current.channels.isEmpty() ? null : current;
        });
        connections.decrementAndGet();
        app.traffic.connectionClosed();
        usage.connectionClosed(app.id, Math.max(0, left[0]));
    }

    /** A socket whose queued bytes pass the high mark is too slow and gets closed (see Connection#write). */
    io.netty.channel.WriteBufferWaterMark writeBufferWaterMark() {
        return waterMark;
    }

    /** Accepts new sockets (again, after a drain). */
    public void accept() {
        draining = false;
    }

    public boolean isDraining() {
        return draining;
    }

    public int connectionCount() {
        return connections.get();
    }

    public int connectionCount(AppId app) {
        AppHub hub = apps.get(app);
        return hub == null ? 0 : hub.connections.get();
    }

    // ---- channels ----

    /** Adds the connection to the channel, pending until the subscription succeeds. On the connection's loop. */
    Subscription join(Connection connection, ChannelName name) {
        boolean[] first = new boolean[1];
        LocalChannel channel = connection.app.channels.compute(name.value(), (key, existing) -> {
            LocalChannel current = existing == null ? new LocalChannel(connection.app, name) : existing;
            first[0] = current.subscribed() == 1;
            return current;
        });
        connection.app.traffic.subscribed();
        LoopSubscribers slot = channel.slot(connection.loop);
        Subscription subscription = new Subscription(connection, channel, slot, interest.acquire(connection.app.id, name.value()));
        slot.add(subscription);
        activity.subscriptionsChanged(connection.app.id, name.value());
        return subscription;
    }

    /** Removes the subscription; true when it was this node's last subscriber of the channel. */
    boolean leave(Subscription subscription) {
        subscription.slot.remove(subscription);
        subscription.releaseHeld();
        interest.release(subscription.lease);
        boolean[] last = new boolean[1];
        LocalChannel channel = subscription.channel;
        channel.app.traffic.unsubscribed();
        channel.app.channels.computeIfPresent(channel.name.value(), (key, current) -> {
            if (current != channel) {
                return current;
            }
            last[0] = current.unsubscribed() == 0;
            return last[0] ? null : current;
        });
        activity.subscriptionsChanged(channel.app.id, channel.name.value());
        return last[0];
    }

    /** Debounced {@code pusher_internal:subscription_count} to the channel's subscribers, when the app wants it. */
    void subscriptionCountChanged(LocalChannel channel, EventLoop loop) {
        if (!channel.app.config.features().subscriptionCount() || channel.name.type() == ChannelType.PRESENCE) {
            return;
        }
        if (!channel.scheduleCountUpdate()) {
            return;
        }
        long delay = properties.subscriptionCountDelay().toNanos();
        if (channel.subscriptions() > 100) {
            long sinceLast = System.nanoTime() - channel.lastCountUpdateNanos;
            delay = Math.max(delay, properties.largeChannelSubscriptionCountInterval().toNanos() - sinceLast);
        }
        loop.schedule(() -> {
            channel.countUpdateDone();
            channel.lastCountUpdateNanos = System.nanoTime();
            // even at 0 here: in a cluster, the channel's subscribers on other nodes learn the new total
            activity.announceSubscriptionCount(channel.app.id, channel.name.value(), channel.subscriptions());
        }, delay, TimeUnit.NANOSECONDS);
    }

    // ---- delivery ----

    @Override
    public void deliver(ChannelEvent event) {
        AppHub app = apps.get(event.app());
        if (app == null) {
            return;
        }
        long exclude = socketIds.localSequence(event.excludeSocketId());
        if (event.channel().startsWith("#")) {
            deliverInternal(app, event, exclude);
            return;
        }
        LocalChannel channel = app.channels.get(event.channel());
        if (channel == null) {
            return;
        }
        ByteBuf frame = WireFrames.text(allocator, OutboundFrames.event(event.event(), event.channel(), event.dataJson(), event.userId()));
        try {
            channel.deliver(frame, exclude, event.presenceVersion(), this);
        }
        finally {
            frame.release();
        }
    }

    /** Internal channels: a user's events, a user's termination, watchlist news. */
    private void deliverInternal(AppHub app, ChannelEvent event, long exclude) {
        String channel = event.channel();
        if (channel.startsWith(ChannelName.SERVER_TO_USER_PREFIX)) {
            deliverToUser(app, event, exclude);
        }
        else if (channel.startsWith(ChannelName.TERMINATE_PREFIX)) {
            terminateUser(app.id, channel.substring(ChannelName.TERMINATE_PREFIX.length()));
        }
        else if (channel.equals(ChannelName.WATCHLIST)) {
            announceOnlineStatus(app, event.dataJson(), event.event().equals(WATCHLIST_ONLINE));
        }
    }

    /** Event names on {@link ChannelName#WATCHLIST}, whose data is the user id. */
    public static final String WATCHLIST_ONLINE = "online";
    public static final String WATCHLIST_OFFLINE = "offline";

    /** Server-to-user events go to every socket signed in as the user, subscribed or not (no race after sign-in). */
    private void deliverToUser(AppHub app, ChannelEvent event, long exclude) {
        Set<Connection> sockets = app.users.get(event.channel().substring(ChannelName.SERVER_TO_USER_PREFIX.length()));
        if (sockets == null || sockets.isEmpty()) {
            return;
        }
        ByteBuf frame = WireFrames.text(allocator, OutboundFrames.event(event.event(), event.channel(), event.dataJson(), null));
        try {
            for (Connection connection : sockets) {
                if (connection.sequence != exclude) {
                    ByteBuf mine = frame.retainedDuplicate();
                    connection.onLoop(() -> {
                        try {
                            if (connection.write(mine)) {
                                delivered(app, 1);
                            }
                            else {
                                connection.closeSlow();
                            }
                        }
                        finally {
                            mine.release();
                        }
                    });
                }
            }
        }
        finally {
            frame.release();
        }
    }

    void delivered(AppHub app, int frames) {
        if (frames > 0) {
            usage.delivered(app.id, frames);
            app.traffic.delivered(frames);
        }
    }

    /** Something the app's clients sent was refused: counted in usage, and in metrics by reason. */
    void refused(AppHub app, Refusal reason) {
        usage.rejected(app.id);
        app.traffic.refused(reason);
    }

    /** A client event of the app was accepted. */
    void clientEvent(AppHub app) {
        usage.clientEvent(app.id);
        app.traffic.clientEvent();
    }

    /** The app's figures for metrics, for counting where no socket of the app is at hand (a refused handshake). */
    public AppTraffic traffic(AppId app) {
        return traffic.of(app);
    }

    UsageRecorder usage() {
        return usage;
    }

    ByteBufAllocator allocator() {
        return allocator;
    }

    // ---- users and watchlists ----

    /** Registers the signed-in socket; true when it is the user's first socket (the user came online). */
    boolean signIn(Connection connection, SignedInUser user) {
        connection.userLease = interest.acquire(connection.app.id, ChannelName.SERVER_TO_USER_PREFIX + user.id());
        boolean[] first = new boolean[1];
        connection.app.users.compute(user.id(), (id, sockets) -> {
            Set<Connection> current = sockets == null ? ConcurrentHashMap.newKeySet() : sockets;
            first[0] = current.isEmpty();
            current.add(connection);
            return current;
        });
        if (first[0]) {
            activity.userSignedIn(connection.app.id, user.id());
        }
        return first[0];
    }

    /** Unregisters the socket; true when it was the user's last socket (the user went offline). */
    boolean signOut(Connection connection, SignedInUser user) {
        if (connection.userLease != null) {
            interest.release(connection.userLease);
            connection.userLease = null;
        }
        boolean[] last = new boolean[1];
        connection.app.users.computeIfPresent(user.id(), (id, sockets) -> {
            sockets.remove(connection);
            last[0] = sockets.isEmpty();
            return last[0] ? null : sockets;
        });
        if (last[0]) {
            activity.userSignedOut(connection.app.id, user.id());
        }
        return last[0];
    }

    /** Whether the user has a signed-in socket on this node. */
    public boolean isSignedInHere(AppId app, String userId) {
        AppHub hub = apps.get(app);
        Set<Connection> sockets = hub == null ? null : hub.users.get(userId);
        return sockets != null && !sockets.isEmpty();
    }

    /** The signed-in users of this node, by app (for writing them to the cluster again). */
    public Map<AppId, List<String>> signedInUsers() {
        Map<AppId, List<String>> users = new LinkedHashMap<>();
        apps.forEach((id, app) -> {
            if (!app.users.isEmpty()) {
                users.put(id, List.copyOf(app.users.keySet()));
            }
        });
        return users;
    }

    /** This node's channels with subscribers and their counts, by app (for writing them to the cluster again). */
    public Map<AppId, Map<String, Integer>> subscriptionCounts() {
        Map<AppId, Map<String, Integer>> counts = new LinkedHashMap<>();
        apps.forEach((id, app) -> {
            Map<String, Integer> channels = new LinkedHashMap<>();
            app.channels.forEach((name, channel) -> {
                int count = channel.subscriptions();
                if (count > 0) {
                    channels.put(name, count);
                }
            });
            if (!channels.isEmpty()) {
                counts.put(id, channels);
            }
        });
        return counts;
    }

    /** Open sockets of this node, by app. */
    public Map<AppId, Integer> connectionCounts() {
        Map<AppId, Integer> counts = new LinkedHashMap<>();
        apps.forEach((id, app) -> {
            if (app.connections.get() > 0) {
                counts.put(id, app.connections.get());
            }
        });
        return counts;
    }

    /**
     * Which of these users are online in the whole app (on one node: signed in here; in a cluster: signed in on
     * any node, from the cluster's record). Used by watchlists and by the Web Push fallback of server-to-user events.
     */
    public Mono<Set<String>> online(AppId app, Collection<String> userIds) {
        return activity.online(app, userIds);
    }

    void watch(Connection connection, Collection<String> userIds) {
        connection.watchLease = interest.acquire(connection.app.id, ChannelName.WATCHLIST);
        for (String userId : userIds) {
            connection.app.watchers.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(connection);
        }
    }

    void unwatch(Connection connection, Collection<String> userIds) {
        if (connection.watchLease != null) {
            interest.release(connection.watchLease);
            connection.watchLease = null;
        }
        for (String userId : userIds) {
            connection.app.watchers.computeIfPresent(userId, (id, sockets) -> {
                sockets.remove(connection);
                return sockets.isEmpty() ? null : sockets;
            });
        }
    }

    /**
     * Tells every socket of this node watching the user that it came online or went offline. A socket hears
     * only changes from what it was last told (its snapshot included), so news that reaches it twice, or
     * about its own user, is told once.
     */
    void announceOnlineStatus(AppHub app, String userId, boolean online) {
        if (!app.config.features().watchlistEvents()) {
            return;
        }
        Set<Connection> watching = app.watchers.get(userId);
        if (watching == null) {
            return;
        }
        for (Connection connection : watching) {
            connection.onLoop(() -> connection.watchedUserChanged(userId, online));
        }
    }

    /** The hub as the whole app: what one node reports to itself. */
    private final class LocalActivity implements NodeActivity {

        @Override
        public void subscriptionsChanged(AppId app, String channel) {
            // the hub's own counts are the app's
        }

        @Override
        public void announceSubscriptionCount(AppId app, String channel, int countOnThisNode) {
            if (countOnThisNode == 0) {
                return; // nobody left to tell
            }
            deliver(new ChannelEvent(app, channel, PusherEvents.SUBSCRIPTION_COUNT, OutboundFrames.subscriptionCountData(countOnThisNode),
                    null, null));
        }

        @Override
        public void userSignedIn(AppId app, String userId) {
            AppHub hub = apps.get(app);
            if (hub != null) {
                announceOnlineStatus(hub, userId, true);
            }
        }

        @Override
        public void userSignedOut(AppId app, String userId) {
            AppHub hub = apps.get(app);
            if (hub != null) {
                announceOnlineStatus(hub, userId, false);
            }
        }

        @Override
        public Mono<Set<String>> online(AppId app, Collection<String> userIds) {
            Set<String> online = new java.util.HashSet<>();
            for (String userId : userIds) {
                if (isSignedInHere(app, userId)) {
                    online.add(userId);
                }
            }
            return Mono.just(online);
        }
    }

    // ---- queries (this node's view; the API's ChannelQueries builds on them) ----

    /** Sockets of this node subscribed to the channel; 0 when none. */
    public int subscriptionCount(AppId app, String channel) {
        AppHub hub = apps.get(app);
        LocalChannel local = hub == null ? null : hub.channels.get(channel);
        return local == null ? 0 : local.subscriptions();
    }

    /** Occupied channels of the app with their subscription counts, internal channels excluded. */
    public Map<String, Integer> occupiedChannels(AppId app, @Nullable String prefix) {
        AppHub hub = apps.get(app);
        if (hub == null) {
            return Map.of();
        }
        Map<String, Integer> channels = new LinkedHashMap<>();
        hub.channels.forEach((name, channel) -> {
            int count = channel.subscriptions();
            if (count > 0 && !name.startsWith("#") && (prefix == null || name.startsWith(prefix))) {
                channels.put(name, count);
            }
        });
        return channels;
    }

    /** Closes every socket signed in as the user, with 4009; returns how many. */
    public int terminateUser(AppId app, String userId) {
        AppHub hub = apps.get(app);
        Set<Connection> sockets = hub == null ? null : hub.users.get(userId);
        if (sockets == null) {
            return 0;
        }
        List<Connection> closing = new ArrayList<>(sockets);
        closing.forEach(connection -> connection.closeFromAnyThread(PusherError.UNAUTHORIZED, "Connection terminated by the server"));
        return closing.size();
    }

    // ---- tenant changes and shutdown ----

    /** The app changed: apply its new configuration, or close its sockets when it is gone or disabled. */
    public void appChanged(AppId id, @Nullable AppConfig config) {
        AppHub app = apps.get(id);
        if (app == null) {
            return;
        }
        if (config == null) {
            log.atInfo().addKeyValue("appId", id).log("App deleted: closing its sockets");
            closeConnections(c -> c.app == app, PusherError.APP_NOT_FOUND, "App no longer exists");
            return;
        }
        app.config = config;
        if (!config.enabled()) {
            log.atInfo().addKeyValue("appId", id).log("App disabled: closing its sockets");
            closeConnections(c -> c.app == app, PusherError.APP_DISABLED, PusherError.APP_DISABLED.message());
            return;
        }
        closeConnections(c -> c.app == app && !config.hasActiveKey(c.key), PusherError.APP_NOT_FOUND, "App key was revoked");
        applyVapidKey(app, config.vapidKey(), true);
    }

    /**
     * Makes {@code key} the app's current Web Push key on this node if it is newer than the one applied (a larger
     * key id): its {@code vask:vapid} frame is encoded once, held by the app for every socket that opens from now on
     * (Connection#open), and written to every socket of the app already open, on each event loop. No socket holds
     * anything of its own for it. {@code authoritative}: the config was just re-read after a change, so no key
     * means Web Push was turned off and new sockets hear of none.
     */
    private void applyVapidKey(AppHub app, @Nullable VapidKeyEvent key, boolean authoritative) {
        ByteBuf frame;
        long since;
        synchronized (app) {
            if (key == null) {
                if (authoritative) {
                    app.vapidFrame = null;
                }
                return;
            }
            if (key.keyId() <= app.vapidKeyId) {
                return;
            }
            app.vapidKeyId = key.keyId();
            frame = WireFrames.shared(OutboundFrames.connectionEvent(PusherEvents.VAPID, key.json()));
            app.vapidFrame = frame;
            // taken after the frame is visible: a socket opened later read this frame (or a newer one) in open()
            since = System.nanoTime();
        }
        log.atDebug().addKeyValue("appId", app.id).addKeyValue("vapidKeyId", key.keyId()).log("Web Push key applied");
        for (LoopConnections loop : loops.all()) {
            loop.loop.execute(() -> {
                for (Connection connection : loop.snapshot()) {
                    if (connection.app == app && connection.openedAt < since && !connection.write(frame)) {
                        connection.closeSlow();
                    }
                }
            });
        }
    }

    /** Channels with subscribers on this node, over all apps. */
    public int channelCount() {
        int channels = 0;
        for (AppHub app : apps.values()) {
            channels += app.channels.size();
        }
        return channels;
    }

    public Collection<AppId> apps() {
        return List.copyOf(apps.keySet());
    }

    private void closeConnections(Predicate<Connection> which, PusherError error, String message) {
        for (LoopConnections loop : loops.all()) {
            loop.loop.execute(() -> {
                for (Connection connection : loop.snapshot()) {
                    if (which.test(connection)) {
                        connection.close(error, message);
                    }
                }
            });
        }
    }

    /**
     * Refuses new sockets and closes the open ones with 4200 (reconnect now), spread over
     * {@code period} so that clients do not all reconnect in the same instant.
     */
    public Mono<Void> drain(Duration period) {
        draining = true;
        List<CompletableFuture<Connection[]>> snapshots = new ArrayList<>();
        for (LoopConnections loop : loops.all()) {
            snapshots.add(CompletableFuture.supplyAsync(loop::snapshot, loop.loop));
        }
        return Flux.fromIterable(snapshots)
                .flatMap(Mono::fromFuture)
                .flatMapIterable(Arrays::asList)
                .collectList()
                .flatMapMany(all -> {
                    long ticks = Math.max(1, period.toMillis() / 100);
                    int batch = (int) Math.max(1, (all.size() + ticks - 1) / ticks);
                    log.atInfo().addKeyValue("sockets", all.size()).addKeyValue("period", period)
                            .log("Draining: closing sockets with 4200");
                    return Flux.fromIterable(all).buffer(batch).delayElements(Duration.ofMillis(100));
                })
                .doOnNext(batch -> batch.forEach(c -> c.closeFromAnyThread(PusherError.RECONNECT, PusherError.RECONNECT.message())))
                .then(Mono.defer(() -> Flux.interval(Duration.ofMillis(50)).takeUntil(tick -> connections.get() == 0)
                        .then().timeout(Duration.ofSeconds(5), Mono.empty())));
    }
}
