package dev.vask.realtime.connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Puts realtime's WebSocket endpoint on the server's one port: every new connection gets the
 * {@link WebSocketUpgradeHandler} right after the HTTP codec, which takes {@code /app/{key}} upgrades and
 * lets everything else through to WebFlux.
 */
public final class RealtimeWebSockets implements NettyServerCustomizer {

    private static final Logger log = LoggerFactory.getLogger(RealtimeWebSockets.class);

    private final WebSocketUpgradeHandler upgradeHandler;

    public RealtimeWebSockets(RealtimeNode node) {
        this.upgradeHandler = new WebSocketUpgradeHandler(node);
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, WebSocketUpgradeHandler.NAME, upgradeHandler);
            }
            else {
                log.warn("No HTTP/1.1 codec on {}: WebSockets need HTTP/1.1 (h2c and HTTP/3 are not supported)", channel);
            }
        });
    }
}
