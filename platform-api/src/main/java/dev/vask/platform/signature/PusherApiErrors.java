package dev.vask.platform.signature;

import java.time.Duration;
import java.util.Map;

import dev.vask.platform.web.ClientAborts;
import dev.vask.realtime.capacity.Overload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The one error translator of the Pusher HTTP API: a {@link PusherApiException} becomes its status with
 * {@code {"error":"..."}} (the official SDKs show that text); anything unexpected becomes a 503 with a
 * generic message, is logged, and never shows a stack trace or exception text to the caller.
 */
public final class PusherApiErrors {

    private static final Logger log = LoggerFactory.getLogger(PusherApiErrors.class);

    private PusherApiErrors() {
    }

    /**
     * A publish refused by admission control: 503, {@code Retry-After} in whole seconds, {@code {"error":"...",
     * "reason":"heap"}} (the reason is the resource that ran short: {@code heap}, {@code direct_memory} or
     * {@code file_descriptors}), and the connection closed, since the request's body was not read.
     */
    public static Mono<ServerResponse> overloaded(Overload overload, Duration retryAfter) {
        return toServerResponse(overloadedAnswer(overload, retryAfter));
    }

    /** {@link #overloaded} for any HTTP front end. */
    public static PusherApiAnswer overloadedAnswer(Overload overload, Duration retryAfter) {
        return new PusherApiAnswer(HttpStatus.SERVICE_UNAVAILABLE, overloadedBody(overload), true, retryAfter);
    }

    /** The body of {@link #overloaded}, for any HTTP front end. */
    public static Map<String, String> overloadedBody(Overload overload) {
        return Map.of("error", overload.message(), "reason", overload.resource().tag());
    }

    public static Mono<ServerResponse> render(Throwable error) {
        return render(error, false);
    }

    /**
     * @param closeConnection whether the request's body was left unread: the connection is then closed after
     *        the answer ({@code Connection: close}) rather than kept, which would mean reading what was refused
     */
    public static Mono<ServerResponse> render(Throwable error, boolean closeConnection) {
        return toServerResponse(answer(error, closeConnection));
    }

    /** {@link #render(Throwable, boolean)} for any HTTP front end; logs what is unexpected. */
    public static PusherApiAnswer answer(Throwable error, boolean closeConnection) {
        if (error instanceof PusherApiException api) {
            return new PusherApiAnswer(api.status(), Map.of("error", api.getMessage()), closeConnection, null);
        }
        if (ClientAborts.isClientAbort(error)) {
            log.atDebug().log("Pusher HTTP API request abandoned by the client: {}", error.toString());
        }
        else {
            log.atError().setCause(error).log("Pusher HTTP API request failed unexpectedly");
        }
        return new PusherApiAnswer(HttpStatus.SERVICE_UNAVAILABLE, Map.of("error", "The request could not be processed right now; retry shortly"),
                closeConnection, null);
    }

    /** The answer as WebFlux sends it: JSON through the server's encoder. */
    public static Mono<ServerResponse> toServerResponse(PusherApiAnswer answer) {
        ServerResponse.BodyBuilder response = ServerResponse.status(answer.status()).contentType(MediaType.APPLICATION_JSON);
        if (answer.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, answer.retryAfterSeconds());
        }
        if (answer.closeConnection()) {
            response.header(HttpHeaders.CONNECTION, "close");
        }
        return response.bodyValue(answer.body());
    }
}
