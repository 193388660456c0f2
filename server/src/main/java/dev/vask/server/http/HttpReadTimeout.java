package dev.vask.server.http;

import java.time.Duration;

import dev.vask.platform.frontdoor.HttpDeadlines;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpServer;

/**
 * Deadlines on an HTTP request as it arrives, so that no client holds a connection by trickling bytes:
 * <ul>
 * <li>the head, from its first byte to its last ({@code vask.http.head-timeout}, default 10 s);</li>
 * <li>the body: between two reads ({@code vask.http.read-timeout}, default 30 s), and in total
 *     ({@code vask.http.request-timeout}, default 60 s).</li>
 * </ul>
 * ({@link HttpDeadlines}; the Pusher API's front door applies the body's two itself). Connections idle between
 * requests are closed by {@code server.netty.idle-timeout}. WebSockets are exempt
 * from all of them: realtime keeps them alive with Pusher's own pings.
 */
@Component
class HttpReadTimeout implements NettyServerCustomizer {

    private final Duration headTimeout;
    private final Duration readTimeout;
    private final Duration requestTimeout;

    HttpReadTimeout(HttpDeadlines deadlines) {
        this.headTimeout = deadlines.headTimeout();
        this.readTimeout = deadlines.readTimeout();
        this.requestTimeout = deadlines.requestTimeout();
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.readTimeout(readTimeout)
                .requestTimeout(requestTimeout)
                .doOnChannelInit((observer, channel, remoteAddress) -> RequestHeadDeadline.install(channel.pipeline(), headTimeout));
    }
}
