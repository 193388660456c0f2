package dev.vask.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The load generator's shared machinery: ONE event loop carries every client socket and the publisher
 * (the process is pinned to one core; more threads would only add switches), and the {@link Stats}
 * that loop fills.
 */
final class Load implements AutoCloseable {

    final EventLoopGroup group;
    final EventLoop loop;
    final Stats stats = new Stats();
    final InetSocketAddress server;
    /** Where the publisher sends events: the server itself, or another node of the same cluster. */
    final InetSocketAddress publishServer;
    final boolean epoll = Epoll.isAvailable();

    Load(String host, int port) {
        this(host, port, port);
    }

    Load(String host, int port, int publishPort) {
        this.group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        this.server = new InetSocketAddress(host, port);
        this.publishServer = new InetSocketAddress(host, publishPort);
    }

    /** A client bootstrap on the loop; sockets are spread over source addresses 127.0.0.1-8 when the server is local. */
    Bootstrap bootstrap() {
        Bootstrap bootstrap = new Bootstrap().group(loop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 2 << 20));
        if (epoll) {
            // pick the source port at connect() time, per destination, so 15,000 sockets fit easily
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        return bootstrap;
    }

    InetSocketAddress sourceAddress(int index) {
        if (!server.getAddress().isLoopbackAddress()) {
            return new InetSocketAddress(0);
        }
        return new InetSocketAddress("127.0.0." + (1 + index % 8), 0);
    }

    /** Runs the task on the loop and waits for its result. */
    <T> T onLoop(Callable<T> task) {
        try {
            return loop.submit(task).get(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("task on the load generator's loop failed: " + e, e);
        }
    }

    Stats.Snapshot snapshot() {
        return onLoop(stats::snapshot);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
