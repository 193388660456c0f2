package dev.vask.server.http;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpServer;

/**
 * Closes an HTTP connection whose request body stops arriving (a client that announces 100 bytes and
 * sends one): without it such a request would hold its connection forever. Connections idle between
 * requests are closed by {@code server.netty.idle-timeout}. WebSockets are exempt from both: realtime
 * keeps them alive with Pusher's own pings.
 */
@Component
class HttpReadTimeout implements NettyServerCustomizer {

    private final Duration readTimeout;

    HttpReadTimeout(@Value("${vask.http.read-timeout:30s}") Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.readTimeout(readTimeout);
    }
}
