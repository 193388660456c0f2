package dev.vask.realtime.api;

import java.util.List;

import dev.vask.realtime.app.AppId;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.fanout.ChannelEvent;
import dev.vask.realtime.presence.ChannelKey;
import dev.vask.realtime.protocol.JsonText;
import dev.vask.realtime.reactive.Immediate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The one publish path for events that do not come from a client socket (the HTTP API, server-to-user
 * events): the data string is JSON-encoded once, each channel's frame is encoded once per node by local
 * delivery, and cache channels keep the event for later subscribers. Callers validate first.
 */
public final class RealtimeEvents {

    private final Bus bus;
    private final ChannelCache cache;

    public RealtimeEvents(Bus bus, ChannelCache cache) {
        this.bus = bus;
        this.cache = cache;
    }

    /**
     * Publishes {@code event} with {@code data} (the exact string the API received) to every channel.
     * A socket whose id is {@code excludeSocketId} does not receive it. Call it when the result is subscribed to: where
     * the channels are delivered on this node, several channels are delivered during the call ({@link Immediate#concat}).
     */
    public Mono<Void> trigger(AppId app, List<ChannelName> channels, String event, String data, @Nullable String excludeSocketId) {
        String dataJson = JsonText.quote(data);
        if (channels.size() == 1) {
            return trigger(app, channels.get(0), event, dataJson, excludeSocketId); // most events: no Flux around one channel
        }
        // one after the other; at once where delivery is on this node
        return Immediate.concat(channels, channel -> trigger(app, channel, event, dataJson, excludeSocketId));
    }

    private Mono<Void> trigger(AppId app, ChannelName channel, String event, String dataJson, @Nullable String excludeSocketId) {
        ChannelEvent channelEvent = new ChannelEvent(app, channel.value(), event, dataJson, null, excludeSocketId);
        if (!channel.cache()) {
            return bus.publish(channelEvent);
        }
        return cache.put(new ChannelKey(app, channel.value()), event, dataJson).then(bus.publish(channelEvent));
    }

    /** Sends an event to every socket signed in as the user, on {@code #server-to-user-{userId}}. */
    public Mono<Void> sendToUser(AppId app, String userId, String event, String data, @Nullable String excludeSocketId) {
        return bus.publish(new ChannelEvent(app, ChannelName.SERVER_TO_USER_PREFIX + userId, event, JsonText.quote(data), null, excludeSocketId));
    }
}
