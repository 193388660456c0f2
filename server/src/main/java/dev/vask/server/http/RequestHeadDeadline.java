package dev.vask.server.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * A total deadline on an HTTP request's head, counted from its first byte to its last: the idle timeout
 * restarts on every read, so a client sending one byte a minute would hold its connection forever. Two
 * handlers share the state of one connection: {@link #bytes()} before the HTTP codec starts the clock on a
 * request's first byte; {@link #requests()} after it stops the clock once the head is decoded, and arms it
 * again when the request has ended. A connection upgraded to a WebSocket has no HTTP codec any more: the
 * deadline then removes itself (Pusher's pings govern WebSockets).
 */
final class RequestHeadDeadline {

    static final String BYTES = "vask.headDeadline";
    static final String REQUESTS = "vask.headReceived";

    private final long deadlineNanos;
    private boolean awaitingHead = true;
    private @Nullable ScheduledFuture<?> timer;

    RequestHeadDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    /** Installs both handlers on a new connection's pipeline, around the HTTP/1.1 codec. */
    static void install(ChannelPipeline pipeline, Duration deadline) {
        if (pipeline.get(NettyPipeline.HttpCodec) == null) {
            return;
        }
        RequestHeadDeadline state = new RequestHeadDeadline(deadline);
        pipeline.addBefore(NettyPipeline.HttpCodec, BYTES, state.bytes());
        pipeline.addAfter(NettyPipeline.HttpCodec, REQUESTS, state.requests());
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                if (ctx.pipeline().get(NettyPipeline.HttpCodec) == null) {
                    stop();
                    ctx.pipeline().remove(this);
                }
                else if (awaitingHead && timer == null && message instanceof ByteBuf bytes && bytes.isReadable()) {
                    timer = ctx.executor().schedule(() -> expire(ctx), deadlineNanos, TimeUnit.NANOSECONDS);
                }
                ctx.fireChannelRead(message);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                stop();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelInboundHandlerAdapter requests() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                if (message instanceof HttpRequest) {
                    awaitingHead = false;
                    stop();
                }
                if (message instanceof LastHttpContent) {
                    awaitingHead = true; // the next byte starts the next request's head
                }
                ctx.fireChannelRead(message);
            }
        };
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (awaitingHead && ctx.pipeline().get(NettyPipeline.HttpCodec) != null) {
            ctx.close(); // no answer: the head never arrived, so there is no request to answer
        }
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
