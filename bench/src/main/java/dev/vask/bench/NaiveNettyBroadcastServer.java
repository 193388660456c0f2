package dev.vask.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
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
import io.netty.util.concurrent.GlobalEventExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The naive bare-Netty yardstick: a Netty server written the obvious way for the benchmark's Pusher clients. It accepts the
 * {@code /app/{key}} upgrade, sends {@code pusher:connection_established}, answers {@code pusher:subscribe}
 * by adding the socket to that channel's {@link ChannelGroup}, and serves {@code POST /apps/{id}/events}
 * (signature not checked) by writing the same JSON frame Vask writes, the natural bare-Netty way:
 * {@code group.writeAndFlush(new TextWebSocketFrame(json))}: the frame is encoded for every socket, the group queues
 * one task per socket on that socket's loop, and every frame is flushed on its own. {@link NettyStrongBroadcastServer}
 * is the careful version. No limits, no auth, no presence, no queues.
 * Usage: {@code NaiveNettyBroadcastServer PORT [EVENT_LOOP_THREADS]}; threads default to Reactor Netty's
 * default, {@code max(4, available processors)}, so both servers run the same number of event loops.
 */
public final class NaiveNettyBroadcastServer {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private NaiveNettyBroadcastServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6002;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(4, Runtime.getRuntime().availableProcessors());
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Handler handler = new Handler();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), handler);
                    }
                })
                .bind(port).sync().channel();
        System.out.println("bare-Netty broadcast server on port " + port + " with " + threads + " event loops ("
                + (epoll ? "epoll" : "nio") + ")");
        server.closeFuture().sync();
    }

    @ChannelHandler.Sharable
    static final class Handler extends SimpleChannelInboundHandler<Object> {

        private final Map<String, ChannelGroup> groups = new ConcurrentHashMap<>();
        private final AtomicLong sockets = new AtomicLong();

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
                        String socketId = "1." + sockets.incrementAndGet();
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
                publish(ctx, uri, request.content().toString(StandardCharsets.UTF_8));
                return;
            }
            respond(ctx, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\"}");
        }

        private void publish(ChannelHandlerContext ctx, String uri, String body) {
            for (PublishedEvents.Event event : PublishedEvents.parse(uri, body)) {
                ChannelGroup group = groups.get(event.channel());
                if (group != null) {
                    group.writeAndFlush(new TextWebSocketFrame(PublishedEvents.frame(event)), ChannelMatchers.all(), true);
                }
            }
            respond(ctx, HttpResponseStatus.OK, "{}");
        }

        private void onText(ChannelHandlerContext ctx, String text) {
            JsonNode frame = JSON.readTree(text);
            String event = frame.path("event").asString();
            switch (event) {
                case "pusher:subscribe" -> {
                    String channel = frame.path("data").path("channel").asString();
                    groups.computeIfAbsent(channel, c -> new DefaultChannelGroup(c, GlobalEventExecutor.INSTANCE)).add(ctx.channel());
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher_internal:subscription_succeeded\",\"channel\":"
                            + JsonText.quote(channel) + ",\"data\":\"{}\"}"));
                }
                case "pusher:unsubscribe" -> {
                    ChannelGroup group = groups.get(frame.path("data").path("channel").asString());
                    if (group != null) {
                        group.remove(ctx.channel());
                    }
                }
                case "pusher:ping" -> ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"pusher:pong\",\"data\":{}}"));
                default -> { }
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
}
