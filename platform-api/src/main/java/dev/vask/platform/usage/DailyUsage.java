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
 */
public record DailyUsage(LocalDate day, long peakConnections, long apiMessages, long clientEvents, long deliveries, long rejected) {
}
