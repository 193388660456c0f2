package dev.vask.realtime.connection;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.capacity.Overload;
import dev.vask.realtime.metrics.Refusal;
import dev.vask.realtime.protocol.OutboundFrames;
import dev.vask.realtime.protocol.PusherError;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * One socket between the HTTP upgrade request and {@code pusher:connection_established}: completes the
 * WebSocket handshake, checks the path, the protocol version and the app key (in that order, after the
 * handshake, so the client gets a {@code pusher:error} with a code it understands), then hands the
 * pipeline to a {@link Connection}. Reading is paused until then.
 */
final class WebSocketHandshake extends ChannelInboundHandlerAdapter {

    static final String NAME = "vask.handshake";
    private static final Logger log = LoggerFactory.getLogger(WebSocketHandshake.class);
    private static final String APP_PATH = "/app/";
    /** Room for the event name, channel and JSON around an app-size message before a frame closes the socket. */
    private static final long FRAME_ENVELOPE_BYTES = 64 * 1024;
    /** The name under which Reactor Netty keeps its handle of a connection ({@code ReactorNetty.CONNECTION}, not public). */
    static final String REACTOR_CONNECTION_ATTRIBUTE = "$CONNECTION";
    private static final AttributeKey<Object> REACTOR_CONNECTION = AttributeKey.valueOf(REACTOR_CONNECTION_ATTRIBUTE);

    private final RealtimeNode node;
    private ChannelHandlerContext context;

    WebSocketHandshake(RealtimeNode node) {
        this.node = node;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    void start(HttpRequest request) {
        Channel channel = context.channel();
        try {
            if (!isWebSocketUpgrade(request)) {
                respond(channel, HttpResponseStatus.UPGRADE_REQUIRED,
                        "This is Vask's WebSocket endpoint: connect with a Pusher client to ws://host:port/app/{key}?protocol=7\n");
                return;
            }
            removeHandlersAfterThis(context.pipeline());
            removeHttpTimeouts(context.pipeline());
            forgetReactorConnection(channel);
            channel.config().setAutoRead(false);
            String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + "/app";
            WebSocketServerHandshaker handshaker = "13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
                    ? new StrictFrameDecoder.Handshaker(url, decoderConfig())
                    : new WebSocketServerHandshakerFactory(url, null, decoderConfig()).newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String uri = request.uri();
            DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), uri,
                    Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
            handshaker.handshake(channel, full).addListener(done -> {
                if (done.isSuccess()) {
                    afterHandshake(uri);
                }
                else {
                    channel.close();
                }
            });
        }
        catch (RuntimeException e) {
            log.atDebug().log("WebSocket handshake refused: {}", e.getMessage());
            respond(channel, HttpResponseStatus.BAD_REQUEST, "Invalid WebSocket handshake\n");
        }
        finally {
            ReferenceCountUtil.release(request);
        }
    }

    private WebSocketDecoderConfig decoderConfig() {
        return decoderConfig(node.properties().maxFrameSize().toBytes());
    }

    private static WebSocketDecoderConfig decoderConfig(long maxFrameBytes) {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength((int) maxFrameBytes)
                .allowExtensions(false)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                // the connection answers a violation itself (Connection.exceptionCaught), with a close that the client receives
                .closeOnProtocolViolation(false)
                .build();
    }

    private void afterHandshake(String uri) {
        // no handlers for UTF-8 or fragments here: the connection checks whole text frames itself and adds
        // them only when a client fragments a message (see Connection#assembleFragments)
        if (node.hub().isDraining()) {
            reject(PusherError.RECONNECT, PusherError.RECONNECT.message());
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(uri);
        String path = query.path();
        if (!path.startsWith(APP_PATH) || path.length() == APP_PATH.length() || path.indexOf('/', APP_PATH.length()) >= 0) {
            reject(PusherError.PATH_NOT_FOUND, "Path not found: connect to /app/{key}");
            return;
        }
        List<String> protocol = query.parameters().get("protocol");
        if (protocol == null || protocol.isEmpty() || protocol.getFirst().isEmpty()) {
            reject(PusherError.NO_PROTOCOL, "No protocol version supplied: add ?protocol=7");
            return;
        }
        if (!supportedProtocol(protocol.getFirst())) {
            reject(PusherError.UNSUPPORTED_PROTOCOL, "Unsupported protocol version: Vask speaks protocols 4 to 7");
            return;
        }
        String key = path.substring(APP_PATH.length());
        node.directory().findByKey(key)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .subscribe(app -> onLoop(() -> app.ifPresentOrElse(found -> accept(key, found),
                        () -> reject(PusherError.APP_NOT_FOUND, "App key " + printable(key) + " does not exist"))),
                        error -> onLoop(() -> {
                            log.atWarn().log("App lookup failed: {}", error.getMessage());
                            reject(PusherError.OVER_CAPACITY, PusherError.OVER_CAPACITY.message());
                        }));
    }

    private void accept(String key, AppConfig app) {
        Channel channel = context.channel();
        if (!channel.isActive()) {
            return;
        }
        if (!app.enabled()) {
            reject(PusherError.APP_DISABLED, PusherError.APP_DISABLED.message());
            return;
        }
        // short of memory or file descriptors: this socket goes (its client reconnects with a back-off), the open ones stay
        Optional<Overload> overload = node.admission().admitConnection();
        if (overload.isPresent()) {
            node.hub().traffic(app.id()).refused(Refusal.OVERLOAD);
            reject(PusherError.OVER_CAPACITY, overload.get().message());
            return;
        }
        node.quota().tryAcquire(app).subscribe(allowed -> onLoop(() -> {
            if (allowed) {
                open(key, app);
            }
            else {
                node.hub().traffic(app.id()).refused(Refusal.LIMIT);
                reject(PusherError.OVER_CONNECTION_QUOTA, PusherError.OVER_CONNECTION_QUOTA.message());
            }
        }), error -> onLoop(() -> {
            log.atWarn().addKeyValue("appId", app.id()).log("Connection quota unavailable: {}", error.getMessage());
            reject(PusherError.OVER_CAPACITY, PusherError.OVER_CAPACITY.message());
        }));
    }

    /** Within the app's quota: the socket becomes a connection. */
    private void open(String key, AppConfig app) {
        Channel channel = context.channel();
        if (!channel.isActive()) {
            node.quota().release(app.id());
            return;
        }
        AppHub hub = node.hub().acquire(app);
        if (hub == null) {
            node.quota().release(app.id());
            node.hub().traffic(app.id()).refused(Refusal.LIMIT);
            reject(PusherError.OVER_CONNECTION_QUOTA, PusherError.OVER_CONNECTION_QUOTA.message());
            return;
        }
        channel.config().setWriteBufferWaterMark(node.hub().writeBufferWaterMark());
        int frameLimit = fitFrameLimitTo(app);
        Connection connection = new Connection(node, channel, hub, canonical(key, app), frameLimit, node.hub().loops.of(channel.eventLoop()));
        context.pipeline().replace(this, "vask.connection", connection);
        connection.open();
        channel.config().setAutoRead(true);
    }

    /**
     * An app may allow messages larger than the server-wide frame limit (up to 1 MB): its sockets then take
     * frames of its message size plus room for the envelope, so that an oversize message is answered with
     * 4300 and the socket kept, as for every other app. Nothing has been read yet (auto-read is off), so
     * the decoders can be swapped without losing a byte. Returns the socket's limit, which also bounds a
     * message assembled from fragments.
     */
    private int fitFrameLimitTo(AppConfig app) {
        long limit = Math.max(node.properties().maxFrameSize().toBytes(), (long) app.limits().maxMessageBytes() + FRAME_ENVELOPE_BYTES);
        if (limit == node.properties().maxFrameSize().toBytes()) {
            return (int) limit;
        }
        ChannelPipeline pipeline = context.pipeline();
        if (pipeline.get("wsdecoder") instanceof StrictFrameDecoder) {
            pipeline.replace("wsdecoder", "wsdecoder", new StrictFrameDecoder(decoderConfig(limit)));
        }
        else if (pipeline.get("wsdecoder") instanceof WebSocket13FrameDecoder) {
            pipeline.replace("wsdecoder", "wsdecoder", new WebSocket13FrameDecoder(decoderConfig(limit)));
        }
        return (int) limit;
    }

    /**
     * The app's own copy of the key the client connected with (the credential that matched it), so that a socket
     * keeps no string of its own for it: the one parsed from the request path is garbage once the socket opens.
     */
    private static String canonical(String key, AppConfig app) {
        return app.credential(key).map(AppCredential::key).orElse(key);
    }

    private void reject(PusherError error, String message) {
        Channel channel = context.channel();
        channel.write(WireFrames.text(channel.alloc(), OutboundFrames.error(error, message)));
        CloseHandshake.send(channel, new CloseWebSocketFrame(error.code(), Connection.closeReason(message)));
    }

    private void onLoop(Runnable task) {
        if (context.executor().inEventLoop()) {
            task.run();
        }
        else {
            context.executor().execute(task);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ReferenceCountUtil.release(message); // the rest of the upgrade request; nothing else is read yet
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.atDebug().log("Error during WebSocket handshake: {}", cause.toString());
        ctx.close();
    }

    private static boolean supportedProtocol(String text) {
        if (text.length() > 2) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        int version = Integer.parseInt(text);
        return version >= 4 && version <= 7;
    }

    private static boolean isWebSocketUpgrade(HttpRequest request) {
        return request.method() == HttpMethod.GET
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Reactor Netty keeps a handle of its own on every connection (attribute {@value #REACTOR_CONNECTION_ATTRIBUTE}, a
     * {@code SimpleConnection} until an HTTP exchange replaces it). With its handlers gone nothing of Reactor Netty reads
     * it again, and a socket that may stay open for days need not carry it (72 B: the handle, the attribute and the
     * attribute array). Were it read, Reactor Netty would make a new one: {@code Connection.from(channel)}.
     */
    @SuppressWarnings("deprecation") // getAndRemove races only with other threads; this is the socket's loop, and no one else uses it
    private static void forgetReactorConnection(Channel channel) {
        if (channel.hasAttr(REACTOR_CONNECTION)) {
            channel.attr(REACTOR_CONNECTION).getAndRemove();
        }
    }

    /** A WebSocket may be quiet for long: Pusher's pings (activity_timeout, 4201) keep it honest, not HTTP's timeouts. */
    private static void removeHttpTimeouts(ChannelPipeline pipeline) {
        for (String name : List.of(NettyPipeline.IdleTimeoutHandler, NettyPipeline.ReadTimeoutHandler, NettyPipeline.ResponseTimeoutHandler)) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    /** Reactor Netty's handlers after ours would treat WebSocket frames as HTTP: the socket is realtime's now. */
    private void removeHandlersAfterThis(ChannelPipeline pipeline) {
        List<String> names = pipeline.names();
        int mine = names.indexOf(NAME);
        for (String name : names.subList(mine + 1, names.size())) {
            if (pipeline.context(name) != null && !name.startsWith("DefaultChannelPipeline$TailContext")) {
                pipeline.remove(name);
            }
        }
    }

    private static void respond(Channel channel, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String printable(String key) {
        String shown = key.length() > 64 ? key.substring(0, 64) + "..." : key;
        return shown.replaceAll("[^A-Za-z0-9_.~-]", "?");
    }
}
