package dev.vask.realtime.connection;

import dev.vask.realtime.RealtimeProperties;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.cache.ChannelCache;
import dev.vask.realtime.capacity.AdmissionControl;
import dev.vask.realtime.fanout.Bus;
import dev.vask.realtime.limits.ConnectionQuota;
import dev.vask.realtime.presence.PresenceStore;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every connection of this node shares: settings, the hub, the seams (bus, presence store,
 * channel cache, connection quota, app directory), admission control (is there room for another socket?) and a JSON mapper for the few payloads the server must read
 * (presence channel_data, sign-in user_data), which refuses a key that appears twice.
 */
public record RealtimeNode(RealtimeProperties properties, Hub hub, Bus bus, PresenceStore presence, ChannelCache cache,
        ConnectionQuota quota, AppDirectory directory, AdmissionControl admission, JsonMapper json) {

    public RealtimeNode {
        // channel_data and user_data are signed by the app's backend and then read here: a repeated key could make
        // the text signed and the value read differ (which "user_id" counts?), so such a payload is refused
        json = json.rebuild().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }
}
