package dev.vask.platform.events;

import java.util.List;
import java.util.Set;

import dev.vask.realtime.channel.ChannelName;
import org.jspecify.annotations.Nullable;

/**
 * One validated event of {@code /events} or {@code /batch_events}.
 *
 * @param name the event name
 * @param data the data string, exactly as received (objects are accepted and written compactly)
 * @param channels 1 to 100 valid channels
 * @param socketId the socket that must not receive it
 * @param info the count attributes to return: {@code user_count}, {@code subscription_count}
 */
record PublishRequest(String name, String data, List<ChannelName> channels, @Nullable String socketId, Set<String> info) {
}
