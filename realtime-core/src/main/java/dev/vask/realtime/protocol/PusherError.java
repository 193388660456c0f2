package dev.vask.realtime.protocol;

/**
 * Every error code Vask sends, with what the client should do. 4000-4299 close the socket (after a
 * {@code pusher:error} frame with the same code); 4300-4399 are in-band {@code pusher:error} frames
 * and the socket stays open (pusher-js would stop reconnecting if a socket were closed with them).
 *
 * <ul>
 *   <li>4000-4099: do not reconnect with the same parameters;</li>
 *   <li>4100-4199: reconnect after a back-off of at least one second;</li>
 *   <li>4200-4299: reconnect at once;</li>
 *   <li>4300-4399: the request was refused, the connection is fine.</li>
 * </ul>
 */
public enum PusherError {

    APP_NOT_FOUND(4001, "App key not found"),
    APP_DISABLED(4003, "Application disabled"),
    OVER_CONNECTION_QUOTA(4004, "Application is over connection quota"),
    PATH_NOT_FOUND(4005, "Path not found"),
    UNSUPPORTED_PROTOCOL(4007, "Unsupported protocol version"),
    NO_PROTOCOL(4008, "No protocol version supplied"),
    UNAUTHORIZED(4009, "Connection is unauthorized"),
    /** The client does not read its events fast enough; see docs/adr/0001-slow-consumer-close-code.md. */
    SLOW_CONSUMER(4100, "Connection is too slow to keep up with its events"),
    /** The server cannot take the socket right now (for example, the tenant database does not answer). */
    OVER_CAPACITY(4100, "Over capacity: try again shortly"),
    RECONNECT(4200, "Server is closing. Please reconnect shortly."),
    PONG_NOT_RECEIVED(4201, "Pong reply not received"),

    INVALID_MESSAGE(4300, "Invalid message"),
    CLIENT_EVENT_RATE_LIMITED(4301, "Client event rejected due to rate limit"),
    WATCHLIST_LIMIT_EXCEEDED(4302, "Watchlist limit exceeded"),
    CLIENT_EVENT_REJECTED(4303, "Client event rejected"),
    SUBSCRIPTION_REJECTED(4304, "Subscription rejected"),
    SIGNIN_REJECTED(4305, "Sign-in rejected");

    private final int code;
    private final String message;

    PusherError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** Whether this error ends the connection (sent as a close code too). */
    public boolean closesConnection() {
        return code < 4300;
    }
}
