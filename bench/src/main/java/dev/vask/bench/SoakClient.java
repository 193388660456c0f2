package dev.vask.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One soak client: a Pusher socket that subscribes to public, private and presence channels, sends client
 * events, and checks what it receives against the {@link SoakLedger}:
 * <ul>
 * <li>HTTP events: every event published after the client saw {@code subscription_succeeded} must arrive, in
 *     order, while it stays subscribed; before unsubscribing it waits (up to {@link #TAIL_WAIT_MILLIS}) for every
 *     event the server had acknowledged by then, so none can be lost at the end of a subscription unnoticed.
 *     (It cannot demand events acknowledged <em>before</em> an unsubscribe that the server then reads first: the
 *     publish and the unsubscribe travel on different connections, and Pusher orders neither against the other.)</li>
 * <li>client events: from each sender, consecutive numbers (a gap between two received is a loss);</li>
 * <li>presence: its view of the members (the list at subscription, then member_added and member_removed) never
 *     adds a member twice or removes an absent one, and at the end equals the server's.</li>
 * </ul>
 * Runs on the load generator's loop.
 */
final class SoakClient extends ChannelInboundHandlerAdapter {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** How long a subscriber waits for events the server acknowledged before it counts them as lost. */
    static final long TAIL_WAIT_MILLIS = 5000;

    /** How a client goes away. */
    enum Leave { CLOSE_FRAME, TCP_CLOSE, UNSUBSCRIBE_THEN_CLOSE }

    private final SoakLedger ledger;
    private final PusherSigner signer;
    final String userId;
    private final List<String> initialChannels;
    private @Nullable WebSocketClientHandshaker handshaker;
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable String socketId;
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /** Last client-event number seen per sender and channel. */
    private final Map<String, Long> clientEventsFrom = new HashMap<>();
    private final Map<String, Long> clientEventsSent = new HashMap<>();
    /** What to run when the next pongs arrive, in order (each ping queues one). */
    private final Queue<Runnable> onPong = new ArrayDeque<>();
    private boolean leaving;
    boolean gone;

    SoakClient(SoakLedger ledger, PusherSigner signer, String userId, List<String> channels, WebSocketClientHandshaker handshaker) {
        this.ledger = ledger;
        this.signer = signer;
        this.userId = userId;
        this.initialChannels = channels;
        this.handshaker = handshaker;
    }

    /** One channel of this client: subscribed once {@code active}; {@code need} is the next event number it must see. */
    static final class Subscription {
        final String channel;
        boolean active;
        long need;
        long last;
        @Nullable Set<String> members;

        Subscription(String channel) {
            this.channel = channel;
        }
    }

    boolean established() {
        return socketId != null && !leaving && !gone;
    }

    // ---- actions (on the loop) ----

    void subscribe(String channel) {
        if (ctx == null || subscriptions.containsKey(channel)) {
            return;
        }
        subscriptions.put(channel, new Subscription(channel));
        String data;
        if (channel.startsWith("presence-")) {
            String channelData = "{\"user_id\":\"" + userId + "\",\"user_info\":{\"name\":\"" + userId + "\"}}";
            data = "{\"channel\":\"" + channel + "\",\"auth\":\"" + signer.auth(socketId + ":" + channel + ":" + channelData)
                    + "\",\"channel_data\":" + JSON.writeValueAsString(channelData) + "}";
        }
        else if (channel.startsWith("private-")) {
            data = "{\"channel\":\"" + channel + "\",\"auth\":\"" + signer.auth(socketId + ":" + channel) + "\"}";
        }
        else {
            data = "{\"channel\":\"" + channel + "\"}";
        }
        send("{\"event\":\"pusher:subscribe\",\"data\":" + data + "}");
    }

    /** Leaves the channel once every event acknowledged so far has arrived (or counted as lost). */
    void unsubscribe(String channel, Runnable then) {
        Subscription subscription = subscriptions.get(channel);
        if (subscription == null || !subscription.active || ctx == null) {
            then.run();
            return;
        }
        awaitTail(subscription, ledger.acknowledged(channel), System.nanoTime() + TAIL_WAIT_MILLIS * 1_000_000, () -> {
            send("{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            subscriptions.remove(channel);
            then.run();
        });
    }

    private void awaitTail(Subscription subscription, long acknowledged, long deadline, Runnable then) {
        if (subscription.need > acknowledged || gone || System.nanoTime() > deadline) {
            if (!gone) {
                checkTail(subscription, acknowledged);
            }
            then.run();
            return;
        }
        ctx.executor().schedule(() -> awaitTail(subscription, acknowledged, deadline, then), 20, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Sends the channel's next client event; false when this client cannot (not subscribed yet, leaving). */
    boolean sendClientEvent(String channel) {
        Subscription subscription = subscriptions.get(channel);
        if (!established() || subscription == null || !subscription.active) {
            return false;
        }
        long seq = clientEventsSent.merge(channel, 1L, Long::sum);
        send("{\"event\":\"client-soak\",\"channel\":\"" + channel + "\",\"data\":{\"from\":\"" + socketId + "\",\"seq\":" + seq + "}}");
        ledger.clientEventsSent++;
        return true;
    }

    void ping(Runnable then) {
        onPong.add(then);
        send("{\"event\":\"pusher:ping\",\"data\":{}}");
    }

    void leave(Leave how, Runnable done) {
        if (ctx == null || gone) {
            done.run();
            return;
        }
        switch (how) {
            case TCP_CLOSE -> {
                leaving = true;
                ctx.close().addListener(f -> done.run());
            }
            case CLOSE_FRAME -> {
                leaving = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(ChannelFutureListener.CLOSE)
                        .addListener(f -> done.run());
            }
            case UNSUBSCRIBE_THEN_CLOSE -> {
                List<String> channels = new ArrayList<>(subscriptions.keySet());
                unsubscribeAll(channels, 0, () -> leave(Leave.CLOSE_FRAME, done));
            }
        }
    }

    private void unsubscribeAll(List<String> channels, int from, Runnable then) {
        if (from == channels.size()) {
            then.run();
            return;
        }
        unsubscribe(channels.get(from), () -> unsubscribeAll(channels, from + 1, then));
    }

    // ---- the end of the run ----

    /** Whether every active subscription has received every event acknowledged so far. */
    boolean hasEverything() {
        return subscriptions.values().stream().allMatch(s -> !s.active || s.need > ledger.acknowledged(s.channel));
    }

    /** After publishing stopped and everything was acknowledged: counts what every active subscription still misses. */
    void checkEverythingArrived() {
        for (Subscription subscription : subscriptions.values()) {
            if (subscription.active) {
                checkTail(subscription, ledger.acknowledged(subscription.channel));
            }
        }
    }

    private void checkTail(Subscription subscription, long acknowledged) {
        ledger.tailChecks++;
        if (subscription.need <= acknowledged) {
            ledger.lostEvents += acknowledged - subscription.need + 1;
            ledger.problem(subscription.channel + ": events " + subscription.need + " to " + acknowledged
                    + " were acknowledged, and had not arrived " + TAIL_WAIT_MILLIS + " ms later");
            subscription.need = acknowledged + 1;
        }
    }

    // ---- inbound ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            switch (message) {
                case FullHttpResponse response when handshaker != null -> {
                    try {
                        handshaker.finishHandshake(ctx.channel(), response);
                        handshaker = null;
                    }
                    catch (RuntimeException e) {
                        ledger.error("WebSocket handshake failed: " + response.status());
                        ctx.close();
                    }
                }
                case TextWebSocketFrame text -> onText(text.text());
                case CloseWebSocketFrame close -> {
                    if (!leaving) {
                        ledger.unexpectedClose("closed by the server with " + close.statusCode() + " " + close.reasonText());
                    }
                    leaving = true;
                    ctx.close();
                }
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                default -> { }
            }
        }
        finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onText(String text) {
        JsonNode frame = JSON.readTree(text);
        String event = frame.path("event").asString("");
        String channel = frame.path("channel").asString(null);
        switch (event) {
            case "e" -> onEvent(channel, Long.parseLong(frame.path("data").asString()));
            case "client-soak" -> onClientEvent(channel, frame.path("data"));
            case "pusher:connection_established" -> {
                socketId = JSON.readTree(frame.path("data").asString()).path("socket_id").asString();
                ledger.connects++;
                initialChannels.forEach(this::subscribe);
            }
            case "pusher_internal:subscription_succeeded" -> onSubscribed(channel, frame.path("data").asString());
            case "pusher_internal:member_added" -> onMember(channel, JSON.readTree(frame.path("data").asString()).path("user_id").asString(), true);
            case "pusher_internal:member_removed" -> onMember(channel, JSON.readTree(frame.path("data").asString()).path("user_id").asString(), false);
            case "pusher:ping" -> send("{\"event\":\"pusher:pong\",\"data\":{}}");
            case "pusher:pong" -> {
                Runnable next = onPong.poll();
                if (next != null) {
                    next.run();
                }
            }
            default -> ledger.error("unexpected frame: " + abbreviate(text));
        }
    }

    private void onSubscribed(String channel, String data) {
        Subscription subscription = subscriptions.get(channel);
        if (subscription == null || subscription.active) {
            ledger.error("subscription_succeeded for " + channel + ", which this client is not subscribing to");
            return;
        }
        subscription.active = true;
        subscription.need = ledger.sent(channel) + 1;
        subscription.last = 0;
        if (channel.startsWith("presence-")) {
            JsonNode ids = JSON.readTree(data).path("presence").path("ids");
            Set<String> members = new LinkedHashSet<>();
            ids.forEach(id -> members.add(id.asString()));
            subscription.members = members;
        }
    }

    private void onEvent(String channel, long seq) {
        ledger.deliveries++;
        Subscription subscription = subscriptions.get(channel);
        if (subscription == null || !subscription.active) {
            return; // an event in flight while subscribing or after unsubscribing: neither owed nor wrong
        }
        if (seq <= subscription.last) {
            ledger.disordered++;
            ledger.problem(channel + ": event " + seq + " after " + subscription.last);
            return;
        }
        subscription.last = seq;
        if (seq > subscription.need) {
            ledger.lostEvents += seq - subscription.need;
            ledger.problem(channel + ": events " + subscription.need + " to " + (seq - 1) + " never arrived (then " + seq + " did)");
        }
        subscription.need = Math.max(subscription.need, seq + 1);
    }

    private void onClientEvent(String channel, JsonNode data) {
        ledger.clientEventsReceived++;
        String key = data.path("from").asString() + " " + channel;
        long seq = data.path("seq").asLong();
        Long last = clientEventsFrom.put(key, seq);
        if (last != null && seq != last + 1) {
            if (seq <= last) {
                ledger.disordered++;
                ledger.problem(channel + ": client event " + seq + " from " + key + " after " + last);
            }
            else {
                ledger.lostClientEvents += seq - last - 1;
                ledger.problem(channel + ": client events " + (last + 1) + " to " + (seq - 1) + " from " + key + " never arrived");
            }
        }
    }

    private void onMember(String channel, String user, boolean added) {
        ledger.memberEvents++;
        Subscription subscription = subscriptions.get(channel);
        if (subscription == null || subscription.members == null) {
            return;
        }
        if (added ? !subscription.members.add(user) : !subscription.members.remove(user)) {
            ledger.memberAnomalies++;
            ledger.problem(channel + ": member_" + (added ? "added for " + user + ", already a member" : "removed for " + user + ", not a member"));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!leaving) {
            ledger.unexpectedClose("socket " + socketId + " closed by the server");
        }
        gone = true;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!leaving) {
            ledger.error("socket error: " + cause);
        }
        ctx.close();
    }

    private void send(String json) {
        if (ctx != null && ctx.channel().isActive()) {
            ctx.writeAndFlush(new TextWebSocketFrame(json), ctx.voidPromise());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
