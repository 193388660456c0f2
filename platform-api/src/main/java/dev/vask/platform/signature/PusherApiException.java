package dev.vask.platform.signature;

import org.springframework.http.HttpStatus;

/**
 * A Pusher HTTP API request refused with a 4xx status and a short message naming the problem.
 * The official SDKs show the body to developers, so the message is written for them.
 */
public final class PusherApiException extends RuntimeException {

    private final HttpStatus status;

    public PusherApiException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static PusherApiException badRequest(String message) {
        return new PusherApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static PusherApiException unauthorized(String message) {
        return new PusherApiException(HttpStatus.UNAUTHORIZED, message);
    }
}
