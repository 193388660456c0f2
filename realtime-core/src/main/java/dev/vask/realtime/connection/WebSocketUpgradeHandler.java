package dev.vask.realtime.connection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Sits right after Reactor Netty's HTTP codec on every connection of the one server port and takes
 * {@code /app/...} requests away from WebFlux: a WebSocket on a bare Netty pipeline costs a fraction of
 * the memory and CPU of a reactive WebSocket session. Every other request passes on to WebFlux
 * (HTTP API, dashboard, actuator). See docs/performance.md for the measurements behind this choice.
 */
@ChannelHandler.Sharable
final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "vask.websocket";

    private final RealtimeNode node;

    WebSocketUpgradeHandler(RealtimeNode node) {
        this.node = node;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof HttpRequest request && isRealtimePath(request.uri())) {
            WebSocketHandshake handshake = new WebSocketHandshake(node);
            ctx.pipeline().replace(this, WebSocketHandshake.NAME, handshake);
            handshake.start(request);
            return;
        }
        ctx.fireChannelRead(message);
    }

    static boolean isRealtimePath(String uri) {
        return uri.startsWith("/app/") || uri.equals("/app") || uri.startsWith("/app?");
    }
}
