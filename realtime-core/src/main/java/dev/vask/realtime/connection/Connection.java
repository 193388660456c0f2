package dev.vask.realtime.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.auth.SignatureVerifier;
import dev.vask.realtime.capacity.Overload;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.channel.ChannelType;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.metrics.Refusal;
import dev.vask.realtime.presence.ChannelKey;
import dev.vask.realtime.presence.JoinResult;
import dev.vask.realtime.presence.PresenceMember;
import dev.vask.realtime.protocol.InboundFrame;
import dev.vask.realtime.protocol.InboundFrameParser;
import dev.vask.realtime.protocol.InvalidFrameException;
import dev.vask.realtime.protocol.JsonText;
import dev.vask.realtime.protocol.OutboundFrames;
import dev.vask.realtime.protocol.PusherError;
import dev.vask.realtime.protocol.PusherEvents;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * One client socket after the handshake: the protocol state machine, and the last handler of its
 * Netty pipeline. Everything here runs on the socket's event loop; work that completes elsewhere
 * (presence store, cache) comes back to it through {@link #onLoop(Runnable)}. State is kept small:
 * this object, one {@link Subscription} per channel, nothing per idle second.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];
    private static final byte PINGED = 1;
    private static final byte AUTHORIZED = 2;
    private static final byte CLOSING = 4;
    /** The client fragmented a message once: Netty's UTF-8 validator and frame aggregator sit ahead of this handler. */
    private static final byte ASSEMBLING = 8;
    private static final String UTF8_VALIDATOR = "vask.utf8";
    private static final String AGGREGATOR = "vask.aggregator";
    private static final int MAX_EVENT_NAME_IN_ERRORS = 64;

    final RealtimeNode node;
    final Channel channel;
    final AppHub app;
    final String key;
    /** This socket's id is {@link #socketId()}, built from it when needed rather than kept as a string per socket. */
    final long sequence;
    final LoopConnections loop;
    /** Largest message this socket takes, whole or assembled from fragments (see WebSocketHandshake#fitFrameLimitTo). */
    private final int frameLimit;
    int listIndex = -1;
    /** Written to since the loop's last flush (see LoopConnections#flushSoon). */
    boolean awaitingFlush;

    /** System.nanoTime() when the socket became a connection (see Hub#applyVapidKey). */
    final long openedAt;
    /** System.nanoTime() when the client last sent anything; once it was pinged (PINGED), when the ping was sent. */
    private long lastSeen;
    private byte flags;
    private Subscription[] subscriptions = NO_SUBSCRIPTIONS;
    private int subscriptionCount;
    private double tokens;
    private long tokensAt;
    private @Nullable SignedInUser user;
    /** This node's interest in the signed-in user's events on the bus (see Hub#signIn). */
    BusInterest.@Nullable Lease userLease;
    /** This node's interest in the app's watchlist news, while this socket watches users. */
    BusInterest.@Nullable Lease watchLease;
    /** The watched users this socket was last told are online; null until its first snapshot. */
    private java.util.@Nullable Set<String> toldOnline;

    Connection(RealtimeNode node, Channel channel, AppHub app, String key, int frameLimit, LoopConnections loop) {
        this.node = node;
        this.channel = channel;
        this.app = app;
        this.key = key;
        this.frameLimit = frameLimit;
        this.loop = loop;
        this.sequence = node.hub().socketIds.next();
        this.openedAt = System.nanoTime();
        this.lastSeen = openedAt;
        this.tokensAt = openedAt;
        this.tokens = app.config.limits().clientEventsPerSecond();
    }

    /** Registers the socket on its loop and greets the client, then tells it the app's current Web Push key, if any. */
    void open() {
        loop.add(this);
        String established = OutboundFrames.connectionEstablished(socketId(), node.properties().activityTimeout().toSeconds());
        ByteBuf vapid = app.vapidFrame;
        if (vapid == null) {
            send(established);
        }
        else {
            // both frames leave in one flush: one write to the socket, as without Web Push
            channel.write(WireFrames.text(channel.alloc(), established), channel.voidPromise());
            if (!write(vapid)) {
                closeSlow();
            }
        }
        log.atDebug().addKeyValue("appId", app.id).addKeyValue("socketId", this::socketId).log("connected");
    }

    /** Pusher's socket id of this socket ({@code nodeId.sequence}), as the client was told it. */
    String socketId() {
        return node.hub().socketIds.format(sequence);
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if ((flags & ASSEMBLING) == 0 && message instanceof WebSocketFrame frame) {
            if (!frame.isFinalFragment() && assembleFragments(ctx, frame)) {
                return;
            }
            // what Netty's Utf8FrameValidator checks of a whole text frame (RFC 6455 §8.1), with its exception: closed with 1007
            if (frame instanceof TextWebSocketFrame && !ByteBufUtil.isText(frame.content(), StandardCharsets.UTF_8)) {
                frame.release();
                exceptionCaught(ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "bytes are not UTF-8"));
                return;
            }
        }
        try {
            lastSeen = System.nanoTime();
            flags &= ~PINGED;
            if ((flags & CLOSING) != 0) {
                return;
            }
            switch (message) {
                case TextWebSocketFrame text -> onText(text.content());
                case PingWebSocketFrame ping -> channel.writeAndFlush(new PongWebSocketFrame(ping.content().retain()), channel.voidPromise());
                case PongWebSocketFrame pong -> { }
                case CloseWebSocketFrame close -> {
                    flags |= CLOSING;
                    CloseHandshake.send(channel, new CloseWebSocketFrame(true, 0, close.content().retain()));
                }
                case BinaryWebSocketFrame binary -> reject(PusherError.INVALID_MESSAGE, "Binary frames are not supported; send JSON text frames");
                default -> { }
            }
        }
        finally {
            ReferenceCountUtil.release(message);
        }
    }

    /**
     * The first fragment of a message: from now on Netty's UTF-8 validator (which checks each fragment as it
     * arrives) and frame aggregator (which hands this handler the whole message, at most {@link #frameLimit}
     * bytes) sit between the decoder and this handler, as they would have from the start. Pusher clients send
     * each message in one frame, so most sockets never pay for the two handlers. The fragment goes through them;
     * false (the fragment is this handler's) only without Netty's decoder, which its handshakers always add.
     */
    private boolean assembleFragments(ChannelHandlerContext ctx, WebSocketFrame first) {
        ChannelPipeline pipeline = ctx.pipeline();
        ChannelHandlerContext decoder = pipeline.context("wsdecoder");
        if (decoder == null) {
            return false;
        }
        flags |= ASSEMBLING;
        pipeline.addBefore(ctx.name(), UTF8_VALIDATOR, new Utf8FrameValidator(false));
        pipeline.addBefore(ctx.name(), AGGREGATOR, new WebSocketFrameAggregator(frameLimit));
        decoder.fireChannelRead(first);
        return true;
    }

    private void onText(ByteBuf content) {
        int limit = app.config.limits().maxMessageBytes() + (int) node.properties().frameOverhead().toBytes();
        if (content.readableBytes() > limit) {
            reject(Refusal.LIMIT, PusherError.INVALID_MESSAGE, "Message is larger than " + limit + " bytes");
            return;
        }
        InboundFrame frame;
        try {
            frame = InboundFrameParser.parse(content.toString(StandardCharsets.UTF_8));
        }
        catch (InvalidFrameException e) {
            reject(PusherError.INVALID_MESSAGE, e.getMessage());
            return;
        }
        switch (frame.event()) {
            case PusherEvents.PING -> send(OutboundFrames.pong());
            case PusherEvents.PONG -> { }
            case PusherEvents.SUBSCRIBE -> subscribe(frame);
            case PusherEvents.UNSUBSCRIBE -> unsubscribe(frame);
            case PusherEvents.SIGNIN -> signin(frame);
            default -> {
                if (frame.event().startsWith(PusherEvents.CLIENT_PREFIX)) {
                    clientEvent(frame);
                }
                else if (frame.event().startsWith(PusherEvents.INTERNAL_PREFIX)) {
                    reject(PusherError.INVALID_MESSAGE, "Clients cannot send pusher_internal: events");
                }
                else {
                    reject(PusherError.INVALID_MESSAGE, "Unknown event: " + abbreviate(frame.event()));
                }
            }
        }
    }

    // ---- subscriptions ----

    private void subscribe(InboundFrame frame) {
        String name = frame.dataField("channel");
        if (name == null) {
            reject(PusherError.INVALID_MESSAGE, "pusher:subscribe needs data.channel");
            return;
        }
        ChannelName channel = ChannelName.parse(name).orElse(null);
        if (channel == null) {
            subscriptionError(name, "InvalidChannel", ChannelName.problem(name), 400);
            return;
        }
        Subscription existing = find(name);
        if (existing != null) {
            if (!existing.isPending()) {
                resendSucceeded(existing);
            }
            return;
        }
        if (channel.type() == ChannelType.SERVER_TO_USER) {
            subscribeToOwnUserChannel(channel);
            return;
        }
        if (subscriptionCount >= node.properties().maxSubscriptionsPerConnection()) {
            subscriptionError(name, "LimitReached", "Too many subscriptions on one connection (at most "
                    + node.properties().maxSubscriptionsPerConnection() + ")", 4100);
            return;
        }
        // short of memory: the socket keeps what it has, but takes on nothing more (presence data can weigh a kilobyte a channel)
        Optional<Overload> overload = node.admission().admitSubscription();
        if (overload.isPresent()) {
            subscriptionError(name, "Unavailable", overload.get().message(), 503);
            return;
        }
        if (frame.dataFieldIsNotAString("channel_data")) {
            subscriptionError(name, "InvalidChannelData", "channel_data must be a JSON-encoded string", 400);
            return;
        }
        PresenceMember member = null;
        if (channel.type().requiresAuth()) {
            AppConfig config = app.config;
            String auth = frame.dataField("auth");
            String channelData = channel.type() == ChannelType.PRESENCE ? frame.dataField("channel_data") : null;
            if (channel.type() == ChannelType.PRESENCE && channelData == null && user == null) {
                subscriptionError(name, "AuthError", "Presence channels need channel_data from your auth endpoint, or a signed-in user", 401);
                return;
            }
            String socketId = socketId();
            if (!SignatureVerifier.channelAuthValid(config, auth, socketId, name, channelData)) {
                String signed = channelData == null ? socketId + ":" + name : socketId + ":" + name + ":" + channelData;
                subscriptionError(name, "AuthError", "Invalid signature: expected the HMAC SHA256 hex digest of '"
                        + signed + "' signed with a secret of this app", 401);
                return;
            }
            if (channel.type() == ChannelType.PRESENCE) {
                member = channelData != null ? presenceMember(name, channelData) : signedInMember(name, user);
                if (member == null) {
                    return; // presenceMember reported the problem
                }
            }
            flags |= AUTHORIZED;
        }
        Subscription subscription = node.hub().join(this, channel);
        add(subscription);
        PresenceMember joining = member;
        whenListening(subscription.lease, () -> {
            if (subscription.removed) {
                return;
            }
            if (joining != null) {
                joinPresence(subscription, joining);
            }
            else {
                succeeded(subscription, OutboundFrames.subscriptionSucceeded(name));
            }
        }, error -> {
            if (!subscription.removed) {
                dropSubscription(subscription);
                busUnavailable(name);
            }
        });
    }

    /**
     * Runs {@code next} on this loop once the bus delivers the topic's events to this node (at once on one
     * node), or {@code failed} when it cannot: a subscription never succeeds before its events can arrive.
     */
    private void whenListening(BusInterest.Lease lease, Runnable next, java.util.function.Consumer<Throwable> failed) {
        if (lease.readyNow()) {
            next.run();
            return;
        }
        Mono<Void> ready = lease.ready;
        ready.subscribe(null, error -> onLoop(() -> failed.accept(error)), () -> onLoop(next));
    }

    /** Retryable: the client may subscribe again at once or after a back-off; nothing of the refused attempt remains. */
    private void busUnavailable(String channel) {
        subscriptionError(channel, "Unavailable", "The cluster cannot deliver " + channel + " right now; try again", 503);
    }

    private void subscribeToOwnUserChannel(ChannelName channel) {
        if (user != null && user.id().equals(channel.serverToUserId()) && userLease != null) {
            whenListening(userLease, () -> send(OutboundFrames.subscriptionSucceeded(channel.value())),
                    error -> busUnavailable(channel.value()));
        }
        else {
            subscriptionError(channel.value(), "AuthError", "Only a socket signed in as that user may subscribe to " + channel.value(), 401);
        }
    }

    private @Nullable PresenceMember presenceMember(String channel, String channelData) {
        JsonNode data;
        try {
            data = node.json().readTree(channelData);
        }
        catch (JacksonException e) {
            subscriptionError(channel, "InvalidChannelData", "channel_data is not valid JSON", 400);
            return null;
        }
        JsonNode id = data.isObject() ? data.get("user_id") : null;
        String userId = id == null ? null : id.isString() ? id.asString() : id.isIntegralNumber() ? id.asString() : null;
        if (userId == null || userId.isEmpty()) {
            subscriptionError(channel, "InvalidChannelData", "channel_data needs a user_id (a string or an integer)", 400);
            return null;
        }
        if (userId.length() > node.properties().maxUserIdLength()) {
            subscriptionError(channel, "InvalidChannelData", "user_id is longer than " + node.properties().maxUserIdLength() + " characters", 400);
            return null;
        }
        JsonNode info = data.get("user_info");
        String infoJson = info == null ? "null" : node.json().writeValueAsString(info);
        return userInfoFits(channel, infoJson) ? new PresenceMember(userId, infoJson) : null;
    }

    /** A signed-in user joins presence as itself, held to the same user_info limit as channel_data. */
    private @Nullable PresenceMember signedInMember(String channel, SignedInUser signedIn) {
        return userInfoFits(channel, signedIn.userInfoJson()) ? new PresenceMember(signedIn.id(), signedIn.userInfoJson()) : null;
    }

    private boolean userInfoFits(String channel, String infoJson) {
        long maxInfo = node.properties().maxUserInfoSize().toBytes();
        if (infoJson.getBytes(StandardCharsets.UTF_8).length > maxInfo) {
            subscriptionError(channel, "InvalidChannelData", "user_info is larger than " + maxInfo + " bytes", 400);
            return false;
        }
        return true;
    }

    private void joinPresence(Subscription subscription, PresenceMember member) {
        subscription.member = member;
        String name = subscription.channelName();
        ChannelKey key = new ChannelKey(app.id, name);
        node.presence().join(key, member, socketId(), app.config.limits().maxPresenceMembers())
                .subscribe(result -> onLoop(() -> joinedPresence(subscription, result)),
                        error -> onLoop(() -> {
                            log.atWarn().addKeyValue("appId", app.id).log("Presence store failed: {}", error.getMessage());
                            dropSubscription(subscription);
                            subscriptionError(name, "Unavailable", "Presence is unavailable right now; try again", 503);
                        }));
    }

    private void joinedPresence(Subscription subscription, JoinResult result) {
        String name = subscription.channelName();
        if (!result.accepted()) {
            if (!subscription.removed) {
                dropSubscription(subscription);
                subscriptionError(name, "LimitReached", "Presence channel is full (at most "
                        + app.config.limits().maxPresenceMembers() + " members)", 4100);
            }
            return;
        }
        subscription.presenceJoined = true;
        subscription.presenceVersion = result.version();
        if (subscription.removed) { // unsubscribed or disconnected while joining
            leavePresence(subscription);
            return;
        }
        List<Map.Entry<String, String>> members = new ArrayList<>(result.members().size());
        result.members().forEach(m -> members.add(Map.entry(m.userId(), m.userInfoJson())));
        succeeded(subscription, OutboundFrames.presenceSubscriptionSucceeded(name, members));
        if (result.newMember()) {
            PresenceMember member = subscription.member;
            publish(new ChannelEvent(app.id, name, PusherEvents.MEMBER_ADDED,
                    OutboundFrames.memberAddedData(member.userId(), member.userInfoJson()), null, socketId(), result.version()));
        }
    }

    private void succeeded(Subscription subscription, String successFrame) {
        if (subscription.removed) {
            return;
        }
        // decided before the client hears of the subscription: the count follows the app's settings as they were then
        node.hub().subscriptionCountChanged(subscription.channel, loop.loop);
        send(successFrame);
        if (subscription.channel.name.cache()) {
            node.cache().get(new ChannelKey(app.id, subscription.channelName()))
                    .map(cached -> OutboundFrames.event(cached.event(), subscription.channelName(), cached.dataJson(), null))
                    .defaultIfEmpty(OutboundFrames.cacheMiss(subscription.channelName()))
                    .subscribe(frame -> onLoop(() -> {
                        if (!subscription.removed) {
                            send(frame);
                            activate(subscription);
                        }
                    }), error -> onLoop(() -> activate(subscription)));
        }
        else {
            activate(subscription);
        }
    }

    /** Writes the events that arrived while the subscription was pending, in order. */
    private void activate(Subscription subscription) {
        for (ByteBuf held : subscription.activate()) {
            try {
                if (!write(held)) {
                    closeSlow();
                }
            }
            finally {
                held.release();
            }
        }
    }

    private void resendSucceeded(Subscription subscription) {
        if (subscription.member == null) {
            send(OutboundFrames.subscriptionSucceeded(subscription.channelName()));
            return;
        }
        node.presence().members(new ChannelKey(app.id, subscription.channelName())).subscribe(members -> onLoop(() -> {
            List<Map.Entry<String, String>> entries = new ArrayList<>(members.size());
            members.forEach(m -> entries.add(Map.entry(m.userId(), m.userInfoJson())));
            send(OutboundFrames.presenceSubscriptionSucceeded(subscription.channelName(), entries));
        }));
    }

    private void unsubscribe(InboundFrame frame) {
        String name = frame.dataField("channel");
        if (name == null) {
            reject(PusherError.INVALID_MESSAGE, "pusher:unsubscribe needs data.channel");
            return;
        }
        Subscription subscription = find(name);
        if (subscription != null) {
            dropSubscription(subscription);
        }
        // unknown channels (and #server-to-user-, delivered by sign-in, not subscription) need nothing
    }

    /** Leaves the channel: this node's subscriber list, presence (member_removed for the user's last socket), counts. */
    private void dropSubscription(Subscription subscription) {
        if (subscription.removed) {
            return;
        }
        subscription.removed = true;
        remove(subscription);
        node.hub().leave(subscription);
        if (subscription.presenceJoined) {
            leavePresence(subscription);
        }
        node.hub().subscriptionCountChanged(subscription.channel, loop.loop);
    }

    private void leavePresence(Subscription subscription) {
        subscription.presenceJoined = false;
        String name = subscription.channelName();
        String userId = subscription.member.userId();
        node.presence().leave(new ChannelKey(app.id, name), userId, socketId())
                .subscribe(version -> {
                    if (version != 0) { // the user's last socket left
                        publish(new ChannelEvent(app.id, name, PusherEvents.MEMBER_REMOVED, OutboundFrames.memberRemovedData(userId),
                                null, null, version));
                    }
                }, error -> log.atWarn().addKeyValue("appId", app.id).log("Presence store failed on leave: {}", error.getMessage()));
    }

    // ---- client events ----

    private void clientEvent(InboundFrame frame) {
        AppConfig config = app.config;
        String event = frame.event();
        if (!config.features().clientEvents()) {
            clientEventRejected("Client events are not enabled for this app");
            return;
        }
        String name = frame.channel();
        if (name == null) {
            clientEventRejected("Client event " + abbreviate(event) + " has no channel");
            return;
        }
        ChannelName channel = ChannelName.parse(name).orElse(null);
        if (channel == null || !channel.type().allowsClientEvents()) {
            clientEventRejected("Client event rejected - only supported on private and presence channels");
            return;
        }
        if (event.length() > PusherEvents.MAX_EVENT_NAME_LENGTH) {
            clientEventRejected("Event name is longer than " + PusherEvents.MAX_EVENT_NAME_LENGTH + " characters");
            return;
        }
        Subscription subscription = find(name);
        if (subscription == null || subscription.isPending()) {
            clientEventRejected("Client event rejected - not subscribed to " + name);
            return;
        }
        if (!takeToken(config.limits().clientEventsPerSecond())) {
            node.hub().refused(app, Refusal.LIMIT);
            send(OutboundFrames.error(PusherError.CLIENT_EVENT_RATE_LIMITED, PusherError.CLIENT_EVENT_RATE_LIMITED.message()));
            return;
        }
        String data = frame.data() == null ? "null" : frame.data();
        if (JsonText.dataBytes(data) > config.limits().maxMessageBytes()) {
            node.hub().refused(app, Refusal.LIMIT);
            send(OutboundFrames.error(PusherError.CLIENT_EVENT_REJECTED, "Client event data is larger than " + config.limits().maxMessageBytes() + " bytes"));
            return;
        }
        String userId = channel.type() == ChannelType.PRESENCE && subscription.member != null ? subscription.member.userId() : null;
        node.hub().clientEvent(app);
        publish(new ChannelEvent(app.id, name, event, data, userId, socketId()));
    }

    private void clientEventRejected(String message) {
        node.hub().refused(app, Refusal.INVALID);
        send(OutboundFrames.error(PusherError.CLIENT_EVENT_REJECTED, message));
    }

    /** Token bucket: {@code perSecond} tokens, refilled continuously. */
    private boolean takeToken(int perSecond) {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - tokensAt) * perSecond / 1e9);
        tokensAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    // ---- user sign-in ----

    private void signin(InboundFrame frame) {
        String auth = frame.dataField("auth");
        String userData = frame.dataField("user_data");
        if (userData == null || auth == null) {
            close(PusherError.UNAUTHORIZED, "pusher:signin needs data.auth and data.user_data (a JSON-encoded string)");
            return;
        }
        String socketId = socketId();
        if (!SignatureVerifier.userAuthValid(app.config, auth, socketId, userData)) {
            node.hub().refused(app, Refusal.AUTH);
            close(PusherError.UNAUTHORIZED, "Invalid signature: expected the HMAC SHA256 hex digest of '" + socketId
                    + "::user::" + userData + "' signed with a secret of this app");
            return;
        }
        SignedInUser signedIn = parseUserData(userData);
        if (signedIn == null) {
            return;
        }
        if (user != null) {
            if (user.id().equals(signedIn.id())) {
                send(OutboundFrames.signinSuccess(userData));
            }
            else {
                send(OutboundFrames.error(PusherError.SIGNIN_REJECTED, "This connection is already signed in as another user"));
            }
            return;
        }
        user = signedIn;
        flags |= AUTHORIZED;
        node.hub().signIn(this, signedIn);
        send(OutboundFrames.signinSuccess(userData));
        if (app.config.features().watchlistEvents() && !signedIn.watchlist().isEmpty()) {
            node.hub().watch(this, signedIn.watchlist());
            node.hub().online(app.id, signedIn.watchlist()).subscribe(online -> onLoop(() -> watchlistSnapshot(signedIn, online)),
                    error -> log.atWarn().addKeyValue("appId", app.id).log("Could not read watched users: {}", error.getMessage()));
        }
    }

    private void watchlistSnapshot(SignedInUser signedIn, java.util.Set<String> onlineNow) {
        if (user != signedIn) {
            return; // closed meanwhile
        }
        List<String> online = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        for (String watched : signedIn.watchlist()) {
            (onlineNow.contains(watched) ? online : offline).add(watched);
        }
        toldOnline = new java.util.HashSet<>(online);
        send(OutboundFrames.watchlistEvents(online, offline));
    }

    /** A watched user came online or went offline; told only when it changes what this socket knows. On this loop. */
    void watchedUserChanged(String userId, boolean online) {
        java.util.Set<String> told = toldOnline;
        if (told == null || (online ? !told.add(userId) : !told.remove(userId))) {
            return;
        }
        send(online ? OutboundFrames.watchlistEvents(List.of(userId), List.of()) : OutboundFrames.watchlistEvents(List.of(), List.of(userId)));
    }

    private @Nullable SignedInUser parseUserData(String userData) {
        JsonNode data;
        try {
            data = node.json().readTree(userData);
        }
        catch (JacksonException e) {
            close(PusherError.UNAUTHORIZED, "user_data is not valid JSON");
            return null;
        }
        JsonNode id = data.isObject() ? data.get("id") : null;
        if (id == null || !id.isString() || id.asString().isEmpty()) {
            close(PusherError.UNAUTHORIZED, "user_data needs an id that is a non-empty string");
            return null;
        }
        if (id.asString().length() > node.properties().maxUserIdLength()) {
            close(PusherError.UNAUTHORIZED, "user_data.id is longer than " + node.properties().maxUserIdLength() + " characters");
            return null;
        }
        // the id names the user's #server-to-user- channel, which pusher-js subscribes to and the HTTP API addresses
        if (ChannelName.parse(ChannelName.SERVER_TO_USER_PREFIX + id.asString()).isEmpty()) {
            close(PusherError.UNAUTHORIZED, "user_data.id may contain only A-Z, a-z, 0-9 and _ - = @ , . ;");
            return null;
        }
        JsonNode info = data.get("user_info");
        String infoJson = info == null ? "null" : node.json().writeValueAsString(info);
        List<String> watchlist = new ArrayList<>();
        JsonNode watched = data.get("watchlist");
        if (watched != null && watched.isArray()) {
            for (JsonNode entry : watched) {
                if (entry.isString() && !entry.asString().isEmpty() && !watchlist.contains(entry.asString())) {
                    watchlist.add(entry.asString());
                }
            }
        }
        int max = node.properties().maxWatchlistSize();
        if (watchlist.size() > max) {
            watchlist = List.copyOf(watchlist.subList(0, max));
            send(OutboundFrames.error(PusherError.WATCHLIST_LIMIT_EXCEEDED, "Watchlist limit exceeded: only the first " + max + " user ids are watched"));
        }
        return new SignedInUser(id.asString(), infoJson, List.copyOf(watchlist));
    }

    // ---- liveness ----

    /** Called by the loop's sweeper: pings a silent client, closes one that does not answer, enforces sign-in. */
    void sweep(long now) {
        if ((flags & CLOSING) != 0) {
            return;
        }
        if ((flags & AUTHORIZED) == 0 && app.config.features().userAuthenticationRequired()
                && now - openedAt > node.properties().userAuthenticationTimeout().toNanos()) {
            close(PusherError.UNAUTHORIZED, "Connection not authorized within timeout");
            return;
        }
        if ((flags & PINGED) == 0) {
            long pingAfter = node.properties().activityTimeout().toNanos() + node.properties().pingGrace().toNanos();
            if (now - lastSeen > pingAfter) {
                flags |= PINGED;
                lastSeen = now; // the pong timeout runs from the ping
                send(OutboundFrames.ping());
            }
        }
        else if (now - lastSeen > node.properties().pongTimeout().toNanos()) {
            close(PusherError.PONG_NOT_RECEIVED, PusherError.PONG_NOT_RECEIVED.message());
        }
    }

    // ---- outbound ----

    /** Writes a shared, already encoded frame; false when the socket cannot keep up or is closing. On this loop only. */
    boolean write(ByteBuf frame) {
        if ((flags & CLOSING) != 0) {
            return false;
        }
        if (!channel.isWritable()) {
            // a burst may be waiting for the loop's flush: only a socket that stays unwritable once its
            // frames went to the kernel is too slow
            channel.flush();
            if (!channel.isWritable()) {
                return false;
            }
        }
        // duplicate().retain(), not retainedDuplicate(): the duplicate shares the frame's leak tracking, where a retained
        // duplicate of a frame the leak detector sampled records a stack trace per subscriber
        channel.write(frame.duplicate().retain(), channel.voidPromise());
        loop.flushSoon(this);
        return true;
    }

    /** Sends a frame built for this socket alone. On this loop only. */
    void send(String json) {
        if ((flags & CLOSING) != 0) {
            return;
        }
        if (!channel.isWritable()) {
            closeSlow();
            return;
        }
        channel.writeAndFlush(WireFrames.text(channel.alloc(), json), channel.voidPromise());
    }

    private void publish(ChannelEvent event) {
        node.bus().publish(event).subscribe(null, error -> log.atWarn().addKeyValue("appId", app.id)
                .log("Publishing {} failed: {}", event.event(), error.getMessage()));
    }

    private void reject(PusherError error, String message) {
        reject(Refusal.INVALID, error, message);
    }

    private void reject(Refusal reason, PusherError error, String message) {
        node.hub().refused(app, reason);
        send(OutboundFrames.error(error, message));
    }

    private void subscriptionError(String channel, String type, String message, int status) {
        node.hub().refused(app, switch (type) {
            case "AuthError" -> Refusal.AUTH;
            case "LimitReached" -> Refusal.LIMIT;
            case "Unavailable" -> Refusal.OVERLOAD;
            default -> Refusal.INVALID;
        });
        send(OutboundFrames.error(PusherError.SUBSCRIPTION_REJECTED, message));
        send(OutboundFrames.subscriptionError(channel, type, message, status));
    }

    void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        }
        else {
            channel.eventLoop().execute(task);
        }
    }

    // ---- closing ----

    void closeSlow() {
        if ((flags & CLOSING) == 0) {
            app.traffic.slowClose();
        }
        close(PusherError.SLOW_CONSUMER, PusherError.SLOW_CONSUMER.message());
    }

    void closeFromAnyThread(PusherError error, String message) {
        onLoop(() -> close(error, message));
    }

    /** Sends {@code pusher:error} and a close frame with the same code, then closes. On this loop only. */
    void close(PusherError error, String message) {
        if ((flags & CLOSING) != 0) {
            return;
        }
        flags |= CLOSING;
        log.atDebug().addKeyValue("appId", app.id).addKeyValue("socketId", this::socketId).addKeyValue("code", error.code()).log("closing");
        channel.write(WireFrames.text(channel.alloc(), OutboundFrames.error(error, message)), channel.voidPromise());
        CloseHandshake.send(channel, new CloseWebSocketFrame(error.code(), closeReason(message)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flags |= CLOSING;
        for (Subscription subscription : Arrays.copyOf(subscriptions, subscriptionCount)) {
            dropSubscription(subscription);
        }
        if (user != null) {
            SignedInUser signedIn = user;
            node.hub().unwatch(this, signedIn.watchlist());
            node.hub().signOut(this, signedIn);
        }
        loop.remove(this);
        node.hub().release(app);
        node.quota().release(app.id);
        log.atDebug().addKeyValue("appId", app.id).addKeyValue("socketId", this::socketId).log("disconnected");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.atDebug().addKeyValue("socketId", this::socketId).log("socket error: {}", cause.toString());
        if ((flags & CLOSING) != 0) {
            return; // what a closing client still sends may not decode; it is dropped
        }
        flags |= CLOSING;
        // the decoders report a broken WebSocket protocol with the close code the RFC names for it
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            CloseHandshake.send(channel, new CloseWebSocketFrame(corrupted.closeStatus(), closeReason(String.valueOf(corrupted.getMessage()))));
        }
        else if (cause instanceof TooLongFrameException) {
            CloseHandshake.send(channel, new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, "Message too big"));
        }
        else {
            channel.close();
        }
    }

    // ---- the socket's own subscription list (a small array: sockets have few channels) ----

    private @Nullable Subscription find(String name) {
        for (int i = 0; i < subscriptionCount; i++) {
            if (subscriptions[i].channelName().equals(name)) {
                return subscriptions[i];
            }
        }
        return null;
    }

    private void add(Subscription subscription) {
        if (subscriptionCount == subscriptions.length) {
            subscriptions = Arrays.copyOf(subscriptions, Math.max(2, subscriptionCount * 2));
        }
        subscriptions[subscriptionCount++] = subscription;
    }

    private void remove(Subscription subscription) {
        for (int i = 0; i < subscriptionCount; i++) {
            if (subscriptions[i] == subscription) {
                subscriptions[i] = subscriptions[--subscriptionCount];
                subscriptions[subscriptionCount] = null;
                if (subscriptionCount == 0) {
                    subscriptions = NO_SUBSCRIPTIONS;
                }
                return;
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_EVENT_NAME_IN_ERRORS ? text : text.substring(0, MAX_EVENT_NAME_IN_ERRORS) + "...";
    }

    /** A close frame's reason is at most 123 bytes of UTF-8; the full message went in pusher:error. */
    static String closeReason(String message) {
        String reason = message;
        while (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            reason = reason.substring(0, reason.length() - 8);
        }
        return reason;
    }

    boolean isSignedInAs(String userId) {
        return user != null && user.id().equals(userId);
    }
}
