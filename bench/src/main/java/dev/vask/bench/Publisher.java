package dev.vask.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

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
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * Publishes events through the Pusher HTTP API ({@code POST /apps/{id}/events}, signed like the official
 * SDKs sign) over a few keep-alive connections, one request in flight on each. The event's data begins
 * with {@code System.nanoTime()} at the moment of sending, which the receivers (same process) subtract
 * from their own clock. Either at a fixed rate, or as fast as the server takes it with a bounded number
 * of publishes in flight and a bounded number of deliveries outstanding. Lives on the load generator's loop.
 */
final class Publisher {

    private final Load load;
    private final String path;
    private final String batchPath;
    private final String host;
    private final PusherSigner signer;
    private final String padding;
    private final List<Channel> connections = new ArrayList<>();
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private @Nullable ScheduledFuture<?> ticker;
    private IntFunction<String> channelOf = i -> "bench";
    private double ratePerSecond;
    private boolean saturate;
    private int maxInFlight;
    private long maxOutstandingDeliveries;
    private int subscribersPerPublish;
    private long startNanos;
    private long startDeliveries;
    private long sentSinceStart;
    /** Events per request: 1 publishes to {@code /events}, more sends that many in one {@code /batch_events}. */
    private int batchSize = 1;
    private int eventIndex;
    private boolean running;

    long sent;
    long accepted;
    long rejected;
    long backlogMax;
    @Nullable String firstRejection;

    Publisher(Load load, String appId, String key, String secret, int dataBytes) {
        this.load = load;
        this.path = "/apps/" + appId + "/events";
        this.batchPath = "/apps/" + appId + "/batch_events";
        this.host = load.publishServer.getHostString() + ":" + load.publishServer.getPort();
        this.signer = new PusherSigner(key, secret);
        this.padding = "x".repeat(Math.max(0, dataBytes - 20));
    }

    /** Opens the keep-alive HTTP connections. */
    void open(int count) {
        for (int i = 0; i < count; i++) {
            ChannelFuture connected = load.bootstrap().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), new ResponseHandler());
                }
            }).connect(load.publishServer, load.sourceAddress(i)).awaitUninterruptibly();
            if (!connected.isSuccess()) {
                throw new BenchmarkException("publisher could not connect to " + host + ": " + connected.cause());
            }
            connections.add(connected.channel());
        }
        load.onLoop(() -> idle.addAll(connections));
    }

    /**
     * From now on each request carries {@code events} events: 1 is {@code POST /apps/{id}/events}, more is one
     * {@code POST /apps/{id}/batch_events} with that many events, each to the next channel.
     */
    void batch(int events) {
        load.onLoop(() -> {
            batchSize = events;
            return null;
        });
    }

    /** Publishes {@code perSecond} requests, the i-th event to {@code channelOf(i)}, until {@link #stop()}. */
    void startRate(double perSecond, IntFunction<String> channels) {
        load.onLoop(() -> {
            reset(channels);
            ratePerSecond = perSecond;
            saturate = false;
            return null;
        });
    }

    /**
     * Publishes as fast as the server answers, with at most {@code inFlight} requests outstanding and at most
     * {@code outstandingDeliveries} deliveries published but not yet received (so a slow receiver never makes
     * the server buffer without bound).
     */
    void startSaturation(int inFlight, long outstandingDeliveries, int subscribers, IntFunction<String> channels) {
        load.onLoop(() -> {
            reset(channels);
            saturate = true;
            maxInFlight = inFlight;
            maxOutstandingDeliveries = outstandingDeliveries;
            subscribersPerPublish = subscribers;
            return null;
        });
    }

    private void reset(IntFunction<String> channels) {
        channelOf = channels;
        startNanos = System.nanoTime();
        startDeliveries = load.stats.deliveries;
        sentSinceStart = 0;
        eventIndex = 0;
        backlogMax = 0;
        running = true;
        if (ticker == null) {
            ticker = load.loop.scheduleAtFixedRate(this::pump, 1, 1, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops publishing; requests in flight still complete. */
    void stop() {
        load.onLoop(() -> {
            running = false;
            return null;
        });
    }

    PublishCounts counts() {
        return load.onLoop(() -> new PublishCounts(sent, accepted, rejected, backlogMax, firstRejection));
    }

    /** Waits until no request is in flight. */
    void awaitIdle(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (load.onLoop(idle::size) < connections.size()) {
            if (System.currentTimeMillis() > deadline) {
                throw new BenchmarkException("publish requests still unanswered after " + timeoutMillis + " ms");
            }
            sleep(10);
        }
    }

    private void pump() {
        if (!running) {
            return;
        }
        if (saturate) {
            while (!idle.isEmpty() && connections.size() - idle.size() < maxInFlight
                    && sentSinceStart * subscribersPerPublish - (load.stats.deliveries - startDeliveries) < maxOutstandingDeliveries) {
                send(idle.poll());
            }
            return;
        }
        long due = (long) ((System.nanoTime() - startNanos) * ratePerSecond / 1e9);
        while (sentSinceStart < due) {
            Channel connection = idle.poll();
            if (connection == null) {
                backlogMax = Math.max(backlogMax, due - sentSinceStart);
                return;
            }
            send(connection);
        }
    }

    private void send(Channel connection) {
        sentSinceStart++;
        sent++;
        String target;
        String json;
        if (batchSize == 1) {
            target = path;
            json = "{\"name\":\"e\",\"channels\":[\"" + channelOf.apply(eventIndex++) + "\"],\"data\":\"" + System.nanoTime() + ":"
                    + padding + "\"}";
        }
        else {
            target = batchPath;
            StringBuilder batch = new StringBuilder("{\"batch\":[");
            long now = System.nanoTime();
            for (int i = 0; i < batchSize; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"name\":\"e\",\"channel\":\"").append(channelOf.apply(eventIndex++))
                        .append("\",\"data\":\"").append(now).append(':').append(padding).append("\"}");
            }
            json = batch.append("]}").toString();
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String query = signer.signedQuery("POST", target, body, System.currentTimeMillis() / 1000);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target + "?" + query,
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        connection.writeAndFlush(request, connection.voidPromise());
    }

    void close() {
        load.onLoop(() -> {
            running = false;
            if (ticker != null) {
                ticker.cancel(false);
                ticker = null;
            }
            connections.forEach(Channel::close);
            return null;
        });
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.status().code() == 200) {
                accepted++;
            }
            else {
                rejected++;
                if (firstRejection == null) {
                    firstRejection = response.status() + " " + response.content().toString(StandardCharsets.UTF_8);
                }
            }
            idle.add(ctx.channel());
            pump();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (running) {
                rejected++;
                if (firstRejection == null) {
                    firstRejection = "the server closed a publish connection";
                }
            }
            idle.remove(ctx.channel());
            connections.remove(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    record PublishCounts(long sent, long accepted, long rejected, long backlogMax, @Nullable String firstRejection) {
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted");
        }
    }
}
