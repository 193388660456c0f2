package dev.vask.platform.frontdoor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.realtime.capacity.AdmissionControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Puts the {@link FrontDoorHandler} on every connection of the server's port, right before Reactor Netty's HTTP
 * handling (after the HTTP codec, the request-head deadline and realtime's WebSocket upgrade), so that a WebSocket
 * upgrade removes it with the rest of the HTTP pipeline.
 */
public final class PusherApiFrontDoor implements NettyServerCustomizer {

    private static final Logger log = LoggerFactory.getLogger(PusherApiFrontDoor.class);

    final Map<String, FrontDoorRoute> routes;
    final PusherApiAuthentication authentication;
    final AdmissionControl admission;
    final FrontDoorResponses responses;
    final RequestTimers timers;
    final HttpDeadlines deadlines;
    private final LongAdder answered = new LongAdder();

    PusherApiFrontDoor(List<FrontDoorRoute> routes, PusherApiAuthentication authentication, AdmissionControl admission,
            FrontDoorResponses responses, RequestTimers timers, HttpDeadlines deadlines) {
        this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(FrontDoorRoute::operation, Function.identity()));
        this.authentication = authentication;
        this.admission = admission;
        this.responses = responses;
        this.timers = timers;
        this.deadlines = deadlines;
    }

    /** Requests the door has answered since start (the rest of the Pusher API's requests went to WebFlux). */
    public long answered() {
        return answered.sum();
    }

    void countAnswer() {
        answered.increment();
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
                channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, FrontDoorHandler.NAME, new FrontDoorHandler(this));
            }
            else {
                log.atDebug().log("No HTTP/1.1 traffic handler on {}: the Pusher API is served by WebFlux alone", channel);
            }
        });
    }
}
