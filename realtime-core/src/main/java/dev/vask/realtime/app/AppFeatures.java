package dev.vask.realtime.app;

/**
 * The per-app toggles. All off for a new app, as on Pusher.
 *
 * @param clientEvents clients may trigger {@code client-} events on private and presence channels
 * @param userAuthenticationRequired sockets must sign in (or subscribe to a private channel) within the
 *        sign-in timeout, or they are closed with 4009
 * @param watchlistEvents signed-in users receive online/offline events for their watchlist
 * @param subscriptionCount subscribers of non-presence channels receive {@code pusher_internal:subscription_count}
 * @param webPush the app delivers Web Push notifications
 */
public record AppFeatures(boolean clientEvents, boolean userAuthenticationRequired, boolean watchlistEvents,
        boolean subscriptionCount, boolean webPush) {

    public static final AppFeatures NONE = new AppFeatures(false, false, false, false, false);
}
