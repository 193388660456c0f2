package dev.vask.platform.app;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An app as the management API shows it.
 *
 * @param id the numeric app id the Pusher SDKs use ({@code /apps/{id}/events})
 * @param tenantId the tenant that owns it
 * @param name 1 to 100 characters
 * @param enabled a disabled app refuses connections (4003) and HTTP API calls; its sockets are closed
 * @param features the per-app toggles
 * @param limits the per-app limits
 * @param createdAt when it was created
 * @param updatedAt when it last changed (its ETag is derived from this)
 */
public record AppView(long id, long tenantId, String name, boolean enabled, Features features, Limits limits,
        Instant createdAt, Instant updatedAt) {

    /**
     * The per-app toggles; all off for a new app.
     *
     * @param clientEvents clients may send {@code client-} events on private and presence channels
     * @param userAuthenticationRequired sockets must sign in (pusher:signin) soon after connecting
     * @param watchlistEvents signed-in users get online/offline events for their watchlist
     * @param subscriptionCount channels report their subscriber count ({@code pusher_internal:subscription_count})
     * @param webPush the app may send Web Push notifications
     * @param pushFallback server-to-user events reach a user with no open connection as a Web Push
     */
    public record Features(boolean clientEvents, boolean userAuthenticationRequired, boolean watchlistEvents,
            boolean subscriptionCount, boolean webPush, boolean pushFallback) {
    }

    /**
     * The per-app limits. Changing them needs the admin or owner role.
     *
     * @param maxConnections sockets open at once across the cluster; null for no limit
     * @param maxMessageBytes largest event payload, server and client events (1 to 1048576; default 10240)
     * @param clientEventsPerSecond client events per second per connection (1 to 1000; default 10)
     * @param maxPresenceMembers members per presence channel (1 to 10000; default 100)
     * @param maxMessagesPerDay messages the HTTP API accepts per UTC day; null for no quota
     */
    public record Limits(@Schema(nullable = true) @Nullable Integer maxConnections, int maxMessageBytes, int clientEventsPerSecond,
            int maxPresenceMembers, @Schema(nullable = true) @Nullable Long maxMessagesPerDay) {
    }
}
