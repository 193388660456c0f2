package dev.vask.realtime.api;

import java.util.List;
import java.util.Map;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.channel.ChannelName;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Channel state for the HTTP API, read from the same state the sockets use. On one node the answers
 * are exact; a cluster implementation sums the nodes' answers.
 */
public interface ChannelQueries {

    /** The channel's counts and cached event; an unoccupied channel has subscriptionCount 0, never empty. */
    Mono<ChannelInfo> channel(AppId app, ChannelName channel);

    /**
     * Occupied channels (at least one subscription), optionally only those whose name starts with
     * {@code prefix}; internal {@code #} channels are never listed. User counts are filled for presence channels.
     */
    Mono<Map<String, ChannelInfo>> channels(AppId app, @Nullable String prefix);

    /** The distinct user ids of a presence channel, in join order. */
    Mono<List<String>> users(AppId app, ChannelName presenceChannel);
}
