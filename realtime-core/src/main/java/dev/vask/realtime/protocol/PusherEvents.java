package dev.vask.realtime.protocol;

/** Event names of the Pusher Channels protocol 7, in one place. */
public final class PusherEvents {

    public static final String CONNECTION_ESTABLISHED = "pusher:connection_established";
    public static final String ERROR = "pusher:error";
    public static final String PING = "pusher:ping";
    public static final String PONG = "pusher:pong";
    public static final String SUBSCRIBE = "pusher:subscribe";
    public static final String UNSUBSCRIBE = "pusher:unsubscribe";
    public static final String SIGNIN = "pusher:signin";
    public static final String SIGNIN_SUCCESS = "pusher:signin_success";
    public static final String CACHE_MISS = "pusher:cache_miss";
    /** Channel-scoped failure that pusher-js routes to the channel's own listeners. */
    public static final String SUBSCRIPTION_ERROR = "pusher:subscription_error";

    public static final String SUBSCRIPTION_SUCCEEDED = "pusher_internal:subscription_succeeded";
    public static final String MEMBER_ADDED = "pusher_internal:member_added";
    public static final String MEMBER_REMOVED = "pusher_internal:member_removed";
    public static final String SUBSCRIPTION_COUNT = "pusher_internal:subscription_count";
    public static final String WATCHLIST_EVENTS = "pusher_internal:watchlist_events";

    /**
     * Vask's own connection-level event: the app's current Web Push (VAPID) key, sent right after
     * {@link #CONNECTION_ESTABLISHED} and again whenever the key changes. pusher-js: {@code pusher.bind('vask:vapid', ...)}.
     */
    public static final String VAPID = "vask:vapid";

    public static final String PUSHER_PREFIX = "pusher:";
    public static final String INTERNAL_PREFIX = "pusher_internal:";
    public static final String CLIENT_PREFIX = "client-";

    /** Longest event name accepted from the HTTP API or a client, as the official SDKs enforce. */
    public static final int MAX_EVENT_NAME_LENGTH = 200;

    private PusherEvents() {
    }
}
