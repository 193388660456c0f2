package dev.vask.realtime.presence;

import dev.vask.realtime.app.AppId;

/** A channel of an app: channels of different apps never mix. */
public record ChannelKey(AppId app, String channel) {
}
