package dev.vask.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import org.jspecify.annotations.Nullable;

/**
 * A set of Pusher clients, each subscribed to one channel: connects them with a bounded number of
 * handshakes in flight, waits until every one has {@code subscription_succeeded}, and closes them.
 * Its state lives on the load generator's loop.
 */
final class Fleet {

    final Load load;
    private final URI uri;
    private final int size;
    private final IntFunction<String> channelOf;
    private final List<Channel> open = new ArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int concurrency;
    private int next;
    private int inFlight;
    private int failures;
    private @Nullable String firstFailure;
    boolean closing;

    Fleet(Load load, String appKey, int size, IntFunction<String> channelOf) {
        this.load = load;
        this.uri = URI.create("ws://" + load.server.getHostString() + ":" + load.server.getPort() + "/app/" + appKey
                + "?protocol=7&client=vask-bench&version=1.0");
        this.size = size;
        this.channelOf = channelOf;
    }

    /** Connects and subscribes every client; fails when any of them could not, saying why. */
    void connect(int maxHandshakesInFlight, long timeoutSeconds) {
        concurrency = maxHandshakesInFlight;
        load.loop.execute(this::startMore);
        try {
            done.get(timeoutSeconds, TimeUnit.SECONDS);
        }
        catch (TimeoutException e) {
            int subscribed = load.onLoop(open::size);
            throw new BenchmarkException("only " + subscribed + " of " + size + " clients subscribed within "
                    + timeoutSeconds + " s (" + failures + " failed" + (firstFailure == null ? "" : ", first: " + firstFailure) + ")");
        }
        catch (ExecutionException e) {
            throw new BenchmarkException(e.getCause().getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted");
        }
    }

    private void startMore() {
        while (inFlight < concurrency && next < size && failures == 0) {
            int index = next++;
            inFlight++;
            connectOne(index);
        }
    }

    private void connectOne(int index) {
        String channel = channelOf.apply(index);
        Bootstrap bootstrap = load.bootstrap().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("http", new HttpClientCodec());
                ch.pipeline().addLast("aggregator", new HttpObjectAggregator(16384));
                ch.pipeline().addLast("pusher", new ClientSocket(Fleet.this, channel,
                        WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
                                EmptyHttpHeaders.INSTANCE, 1 << 20)));
            }
        });
        bootstrap.connect(load.server, load.sourceAddress(index)).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                failed("connect failed: " + f.cause());
            }
        });
    }

    void subscribed(Channel channel) {
        open.add(channel);
        inFlight--;
        if (open.size() == size) {
            done.complete(null);
        }
        startMore();
    }

    void failed(String why) {
        if (closing) {
            return;
        }
        inFlight--;
        failures++;
        if (firstFailure == null) {
            firstFailure = why;
            done.completeExceptionally(new BenchmarkException("a client could not connect and subscribe: " + why));
        }
    }

    int size() {
        return size;
    }

    /** Closes every client (no closing handshake: a TCP close, as when a browser tab dies) and waits for it. */
    void close() {
        List<ChannelFuture> closed = load.onLoop(() -> {
            closing = true;
            List<ChannelFuture> futures = new ArrayList<>(open.size());
            for (Channel channel : open) {
                futures.add(channel.close());
            }
            open.clear();
            return futures;
        });
        for (ChannelFuture future : closed) {
            future.awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
