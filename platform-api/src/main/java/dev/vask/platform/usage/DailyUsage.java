package dev.vask.platform.usage;

import java.time.LocalDate;

/**
 * An app's usage on one UTC day (zeros on days without any).
 *
 * @param day the UTC day
 * @param peakConnections most sockets open at once, across the cluster
 * @param apiMessages messages accepted by the HTTP API (one per channel an event went to)
 * @param clientEvents client events accepted
 * @param deliveries event frames written to sockets (one per receiving socket)
 * @param rejected requests and client messages refused (limits, quota, a client's bad auth, malformed); HTTP API
 *        requests count only once the app's own secret signed them
 * @param pushesSent Web Push messages a push service accepted
 * @param pushesFailed Web Push messages not delivered (refused by the push service, retries exhausted, queue full)
 * @param pushesGone pushes to subscriptions the push service no longer knows (404, 410) or that had expired; each
 *        such subscription is deleted
 */
public record DailyUsage(LocalDate day, long peakConnections, long apiMessages, long clientEvents, long deliveries, long rejected,
        long pushesSent, long pushesFailed, long pushesGone) {
}
