package dev.vask.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;

/**
 * The soak's HTTP side: publishes numbered events ({@code data} is the channel's sequence number) and
 * answers signed queries, over a few keep-alive connections with one request in flight on each. A
 * channel is always published through the same connection, so its events reach the server, and its
 * subscribers, in order: a gap in what a subscriber receives is a lost event, not a race between
 * connections. Lives on the load generator's loop.
 */
final class SoakPublisher {

    private final Load load;
    private final SoakLedger ledger;
    private final String appPath;
    private final String host;
    private final PusherSigner signer;
    private final List<Connection> connections = new ArrayList<>();
    long backlogMax;

    SoakPublisher(Load load, SoakLedger ledger, String appId, String key, String secret) {
        this.load = load;
        this.ledger = ledger;
        this.appPath = "/apps/" + appId;
        this.host = load.server.getHostString() + ":" + load.server.getPort();
        this.signer = new PusherSigner(key, secret);
    }

    void open(int count) {
        for (int i = 0; i < count; i++) {
            Connection connection = new Connection();
            ChannelFuture connected = load.bootstrap().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(4 << 20), connection);
                }
            }).connect(load.server, load.sourceAddress(i)).awaitUninterruptibly();
            if (!connected.isSuccess()) {
                throw new BenchmarkException("the soak's publisher could not connect to " + host + ": " + connected.cause());
            }
            connection.channel = connected.channel();
            connections.add(connection);
        }
    }

    /** Queues the channel's next event behind the ones already queued for it. On the loop. */
    void publish(String channel) {
        long seq = ledger.next(channel);
        byte[] body = ("{\"name\":\"e\",\"channel\":\"" + channel + "\",\"data\":\"" + seq + "\"}").getBytes(StandardCharsets.UTF_8);
        connectionOf(channel).enqueue(new Request("POST", appPath + "/events", Map.of(), body, response -> {
            if (response.status().code() == 200) {
                ledger.acknowledged(channel, seq);
            }
            else {
                ledger.rejected++;
                ledger.problem("publish refused: " + response.status() + " " + response.content().toString(StandardCharsets.UTF_8));
            }
        }, () -> ledger.written(channel, seq)));
    }

    /** A signed GET of the HTTP API (channel queries); {@code answer} gets the status and body. On the loop. */
    void get(String path, Map<String, String> params, java.util.function.BiConsumer<Integer, String> answer) {
        connections.getFirst().enqueue(new Request("GET", appPath + path, params, new byte[0],
                response -> answer.accept(response.status().code(), response.content().toString(StandardCharsets.UTF_8)), () -> { }));
    }

    /** Requests queued or in flight, over all connections. On the loop. */
    int pending() {
        int pending = 0;
        for (Connection connection : connections) {
            pending += connection.queue.size() + (connection.inFlight == null ? 0 : 1);
        }
        return pending;
    }

    void close() {
        connections.forEach(c -> c.channel.close().awaitUninterruptibly());
    }

    private Connection connectionOf(String channel) {
        return connections.get(Math.floorMod(channel.hashCode(), connections.size()));
    }

    private record Request(String method, String path, Map<String, String> params, byte[] body, Consumer<FullHttpResponse> onResponse,
            Runnable onWritten) {
    }

    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {

        private final ArrayDeque<Request> queue = new ArrayDeque<>();
        private @Nullable Request inFlight;
        private Channel channel;

        void enqueue(Request request) {
            queue.add(request);
            backlogMax = Math.max(backlogMax, queue.size());
            sendNext();
        }

        private void sendNext() {
            if (inFlight != null || queue.isEmpty() || !channel.isActive()) {
                return;
            }
            Request request = queue.poll();
            inFlight = request;
            String query = signer.signedQuery(request.method(), request.path(), request.body(), System.currentTimeMillis() / 1000,
                    request.params());
            FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                    request.path() + "?" + query, Unpooled.wrappedBuffer(request.body()));
            http.headers().set(HttpHeaderNames.HOST, host).setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
            if (request.body().length > 0) {
                http.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            channel.writeAndFlush(http, channel.voidPromise());
            request.onWritten().run();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Request answered = inFlight;
            inFlight = null;
            if (answered != null) {
                answered.onResponse().accept(response);
            }
            sendNext();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (inFlight != null || !queue.isEmpty()) {
                ledger.unexpectedClose("the server closed a publish connection with " + (queue.size() + (inFlight == null ? 0 : 1))
                        + " requests pending");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ledger.error("publish connection: " + cause);
            ctx.close();
        }
    }
}
