package dev.vask.realtime.connection;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

/**
 * Ends a WebSocket as RFC 6455 §7.1.1 asks: the close frame, then a half-close (our FIN) once everything
 * written before it has left, then the TCP close when the client closes its side, or after a grace period.
 *
 * <p>Closing at once is not enough. When a client has sent frames that Vask has not read (a client that keeps
 * talking after its mistake), closing the socket makes the kernel answer with a reset and throw away whatever of
 * Vask's output has not yet gone out: the close frame, and with it the code that tells a Pusher client whether to
 * reconnect. While half-closed, what the client still sends is read and dropped (the connection is marked closing).
 */
final class CloseHandshake {

    /** How long a half-closed socket waits for the client to close its side. */
    static final long GRACE_MILLIS = 2_000;

    private CloseHandshake() {
    }

    /** Writes the close frame and ends the connection behind it. On the channel's event loop. */
    static void send(Channel channel, CloseWebSocketFrame close) {
        channel.writeAndFlush(close).addListener(written -> halfClose(channel));
        // a client that reads nothing would keep the close frame, and the socket, forever
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void halfClose(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        if (channel instanceof DuplexChannel duplex && !duplex.isOutputShutdown()) {
            duplex.shutdownOutput();
            channel.config().setAutoRead(true); // read (and drop) until the client's FIN, so that closing sends no reset
        }
        else {
            channel.close();
        }
    }
}
