package dev.vask.realtime;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Server-wide realtime settings ({@code vask.realtime.*}). Per-app limits (message size, client
 * event rate, presence members, connections) are app data, not properties.
 *
 * @param nodeId this node's number in socket ids ({@code nodeId.sequence}); random when absent,
 *        which keeps socket ids unique across a cluster without coordination
 * @param activityTimeout told to clients in {@code pusher:connection_established}: they ping after
 *        this much silence (default 120 s, Pusher's value)
 * @param pingGrace how much longer the server waits before pinging a silent client itself (default 10 s)
 * @param pongTimeout how long a pinged client has to answer before it is closed with 4201 (default 30 s)
 * @param userAuthenticationTimeout when an app requires sign-in, how long a socket may stay without
 *        signing in or subscribing to a private channel before it is closed with 4009 (default 30 s)
 * @param maxFrameSize largest WebSocket message accepted at all (default 256 KB); app limits are lower
 * @param frameOverhead room for the frame's envelope (event and channel names, signatures) above an
 *        app's max message size (default 4 KB)
 * @param maxOutboundBuffer bytes queued for one socket before it counts as too slow and is closed
 *        with 4100 (default 1 MB)
 * @param maxSubscriptionsPerConnection channels one socket may be subscribed to (default 100)
 * @param maxUserIdLength presence user ids and signed-in user ids (default 128, Pusher's limit)
 * @param maxUserInfoSize presence {@code user_info} JSON (default 1 KB, Pusher's limit)
 * @param maxWatchlistSize user ids in a watchlist; more are ignored with error 4302 (default 100)
 * @param cacheTimeToLive how long a cache channel keeps its last event (default 30 min)
 * @param subscriptionCountDelay debounce of subscription_count updates (default 200 ms)
 * @param largeChannelSubscriptionCountInterval above 100 subscribers, at most one update per this (default 5 s)
 * @param drainPeriod on shutdown, sockets are closed with 4200 spread over this period (default 10 s)
 */
@Validated
@ConfigurationProperties("vask.realtime")
public record RealtimeProperties(
        @Nullable @Min(1) @Max(999_999_999) Integer nodeId,
        @DefaultValue("120s") Duration activityTimeout,
        @DefaultValue("10s") Duration pingGrace,
        @DefaultValue("30s") Duration pongTimeout,
        @DefaultValue("30s") Duration userAuthenticationTimeout,
        @DefaultValue("256KB") DataSize maxFrameSize,
        @DefaultValue("4KB") DataSize frameOverhead,
        @DefaultValue("1MB") DataSize maxOutboundBuffer,
        @DefaultValue("100") @Min(1) int maxSubscriptionsPerConnection,
        @DefaultValue("128") @Min(1) int maxUserIdLength,
        @DefaultValue("1KB") DataSize maxUserInfoSize,
        @DefaultValue("100") @Min(1) int maxWatchlistSize,
        @DefaultValue("30m") Duration cacheTimeToLive,
        @DefaultValue("200ms") Duration subscriptionCountDelay,
        @DefaultValue("5s") Duration largeChannelSubscriptionCountInterval,
        @DefaultValue("10s") Duration drainPeriod) {

    /** Defaults, for tests and embedding. */
    public static RealtimeProperties defaults() {
        return new RealtimeProperties(null, Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), DataSize.ofKilobytes(256), DataSize.ofKilobytes(4), DataSize.ofMegabytes(1), 100, 128,
                DataSize.ofKilobytes(1), 100, Duration.ofMinutes(30), Duration.ofMillis(200), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }
}
