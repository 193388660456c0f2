package dev.vask.realtime.capacity;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.http.server.HttpServer;

/**
 * Counts the sockets the server port accepts, so that admission control can follow the process's file descriptors
 * without listing {@code /proc/self/fd} at every sample: listing costs time in proportion to the open descriptors
 * (about 3 to 7 ms for 8,000 on the bench machine), which four samples a second turned into a few percent of a core
 * at rest. Closes are not counted (a listener on every socket's close would cost each socket a few dozen bytes): the
 * estimate between two exact counts only errs high, and an estimate that high is counted exactly.
 */
public final class ServerSocketTally implements NettyServerCustomizer {

    private final LongAdder accepted = new LongAdder();

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> accepted.increment());
    }

    /** Sockets accepted since start. */
    public long accepted() {
        return accepted.sum();
    }
}
