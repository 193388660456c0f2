package dev.vask.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.EventExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The strong yardstick: the same minimal server as {@link NaiveNettyBroadcastServer} (no limits, no auth, no
 * presence, signature not checked), written the careful way for broadcast. A published event is encoded once into
 * a complete WebSocket text frame; each event loop that holds subscribers of the channel gets ONE task, which writes
 * a duplicate of that frame to each of its sockets without flushing; the sockets written to are flushed once, when the
 * loop has run every task of its current turn (Netty's tail tasks, {@code executeAfterEventLoopIteration}), so a burst
 * of events leaves a socket in one system call. The subscribers of a channel are kept per event loop and touched only on their loop.
 * Usage: {@code NettyStrongBroadcastServer PORT [EVENT_LOOP_THREADS]}; threads default as for the naive yardstick.
 */
public final class NettyStrongBroadcastServer {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private NettyStrongBroadcastServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6004;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(4, Runtime.getRuntime().availableProcessors());
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Broadcaster broadcaster = new Broadcaster(group);
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Socket(broadcaster));
                    }
                })
                .bind(port).sync().channel();
        System.out.println("strong bare-Netty broadcast server on port " + port + " with " + threads + " event loops ("
                + (epoll ? "epoll" : "nio") + ")");
        server.closeFuture().sync();
    }

    /** The channels and their subscribers, per event loop. */
    static final class Broadcaster {

        private final Map<EventExecutor, Loop> loops = new IdentityHashMap<>();
        private final Loop[] all;
        private final Map<String, Topic> topics = new ConcurrentHashMap<>();
        private final AtomicLong sockets = new AtomicLong();

        Broadcaster(EventLoopGroup group) {
            List<Loop> list = new ArrayList<>();
            for (EventExecutor executor : group) {
                Loop loop = new Loop((EventLoop) executor, list.size());
                loops.put(executor, loop);
                list.add(loop);
            }
            all = list.toArray(Loop[]::new);
        }

        Loop loopOf(Channel channel) {
            return loops.get(channel.eventLoop());
        }

        /** On the socket's loop. */
        void subscribe(Socket socket, String channel) {
            Topic topic = topics.computeIfAbsent(channel, c -> new Topic(all.length));
            socket.loop.subscribers(topic).add(socket);
            socket.channels.add(channel);
        }

        /** On the socket's loop. */
        void unsubscribe(Socket socket, String channel) {
            Topic topic = topics.get(channel);
            if (topic != null && socket.channels.remove(channel)) {
                List<Socket> subscribers = topic.byLoop.get(socket.loop.index);
                if (subscribers != null) {
                    subscribers.remove(socket);
                }
            }
        }

        /** On any thread: encodes the frame once and hands each loop with subscribers one task. */
        void publish(ByteBufAllocator allocator, PublishedEvents.Event event) {
            Topic topic = topics.get(event.channel());
            if (topic == null) {
                return;
            }
            ByteBuf frame = textFrame(allocator, PublishedEvents.frame(event));
            try {
                for (Loop loop : all) {
                    if (topic.byLoop.get(loop.index) != null) {
                        ByteBuf shared = frame.retain();
                        loop.loop.execute(() -> loop.deliver(topic, shared));
                    }
                }
            }
            finally {
                frame.release();
            }
        }

        long nextSocketId() {
            return sockets.incrementAndGet();
        }
    }

    /**
     * A channel's subscribers: one list per event loop, created and touched only on its loop; the array slot is
     * published safely so that a publisher on another loop sees which loops hold subscribers.
     */
    static final class Topic {
        final AtomicReferenceArray<List<Socket>> byLoop;

        Topic(int loops) {
            byLoop = new AtomicReferenceArray<>(loops);
        }
    }

    /** One event loop's sockets awaiting a flush. Touched only on that loop. */
    static final class Loop {
        final EventLoop loop;
        final int index;
        private final List<Socket> unflushed = new ArrayList<>();
        private boolean flushScheduled;
        private final Runnable flushTask = this::flushWritten;

        Loop(EventLoop loop, int index) {
            this.loop = loop;
            this.index = index;
        }

        List<Socket> subscribers(Topic topic) {
            List<Socket> list = topic.byLoop.get(index);
            if (list == null) {
                list = new ArrayList<>(4);
                topic.byLoop.set(index, list);
            }
            return list;
        }

        void deliver(Topic topic, ByteBuf frame) {
            try {
                List<Socket> subscribers = topic.byLoop.get(index);
                if (subscribers == null) {
                    return;
                }
                for (int i = 0, n = subscribers.size(); i < n; i++) {
                    Socket socket = subscribers.get(i);
                    // duplicate().retain() shares the frame's leak tracking (a retained duplicate of a sampled frame would record
                    // a stack trace per socket)
                    socket.channel.write(frame.duplicate().retain(), socket.channel.voidPromise());
                    if (!socket.awaitingFlush) {
                        socket.awaitingFlush = true;
                        unflushed.add(socket);
                    }
                }
                if (!flushScheduled && !unflushed.isEmpty()) {
                    flushScheduled = true;
                    if (loop instanceof SingleThreadEventLoop iterating) {
                        iterating.executeAfterEventLoopIteration(flushTask); // after every task of this turn of the loop
                    }
                    else {
                        loop.execute(flushTask);
                    }
                }
            }
            finally {
                frame.release();
            }
        }

        private void flushWritten() {
            flushScheduled = false;
            for (int i = 0, n = unflushed.size(); i < n; i++) {
                Socket socket = unflushed.get(i);
                socket.awaitingFlush = false;
                socket.channel.flush();
            }
            unflushed.clear();
        }
    }

    /** One connection: the HTTP requests before the upgrade, then the WebSocket frames. */
    static final class Socket extends SimpleChannelInboundHandler<Object> {

        private final Broadcaster broadcaster;
        final List<String> channels = new ArrayList<>(1);
        Channel channel;
        Loop loop;
        boolean awaitingFlush;

        Socket(Broadcaster broadcaster) {
            this.broadcaster = broadcaster;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            loop = broadcaster.loopOf(channel);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            switch (message) {
                case FullHttpRequest request -> onHttp(ctx, request);
                case TextWebSocketFrame text -> onText(ctx, text.text());
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case CloseWebSocketFrame close -> ctx.close();
                case WebSocketFrame other -> { }
                default -> { }
            }
        }

        private void onHttp(ChannelHandlerContext ctx, FullHttpRequest request) {
            String uri = request.uri();
            if (request.method() == HttpMethod.GET && uri.startsWith("/app/")) {
                WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://localhost/app", null, false)
                        .newHandshaker(request);
                if (handshaker == null) {
                    WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                    return;
                }
                handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) done -> {
                    if (done.isSuccess()) {
                        String socketId = "1." + broadcaster.nextSocketId();
                        done.channel().writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher:connection_established\",\"data\":\"{\\\"socket_id\\\":\\\""
                                + socketId + "\\\",\\\"activity_timeout\\\":120}\"}"));
                    }
                    else {
                        done.channel().close();
                    }
                });
                return;
            }
            if (request.method() == HttpMethod.POST && PublishedEvents.isPublish(uri)) {
                for (PublishedEvents.Event event : PublishedEvents.parse(uri, request.content().toString(StandardCharsets.UTF_8))) {
                    broadcaster.publish(ctx.alloc(), event);
                }
                respond(ctx, HttpResponseStatus.OK, "{}");
                return;
            }
            respond(ctx, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\"}");
        }

        private void onText(ChannelHandlerContext ctx, String text) {
            JsonNode frame = JSON.readTree(text);
            switch (frame.path("event").asString()) {
                case "pusher:subscribe" -> {
                    String name = frame.path("data").path("channel").asString();
                    if (!channels.contains(name)) {
                        broadcaster.subscribe(this, name);
                    }
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":"
                            + JsonText.quote(name) + ",\"data\":\"{}\"}"));
                }
                case "pusher:unsubscribe" -> broadcaster.unsubscribe(this, frame.path("data").path("channel").asString());
                case "pusher:ping" -> ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher:pong\",\"data\":{}}"));
                default -> { }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (String name : List.copyOf(channels)) {
                broadcaster.unsubscribe(this, name);
            }
        }

        private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A complete WebSocket text frame (server to client: unmasked, FIN set), written as it is to every socket. */
    static ByteBuf textFrame(ByteBufAllocator allocator, String json) {
        int length = ByteBufUtil.utf8Bytes(json);
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        ByteBuf frame = allocator.directBuffer(header + length);
        frame.writeByte(0x81);
        if (length < 126) {
            frame.writeByte(length);
        }
        else if (length < 65536) {
            frame.writeByte(126);
            frame.writeShort(length);
        }
        else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(frame, json, length);
        return frame;
    }
}
