package dev.vask.realtime.connection;

import java.util.List;

import dev.vask.realtime.api.RealtimeEvents;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.capacity.AdmissionControl;
import dev.vask.realtime.capacity.CapacityProperties;
import dev.vask.realtime.capacity.Resource;
import dev.vask.realtime.capacity.SettableReadings;
import dev.vask.realtime.channel.ChannelName;
import dev.vask.realtime.metrics.Refusal;
import dev.vask.realtime.testing.RawSocket;
import dev.vask.realtime.testing.RealtimeServer;
import dev.vask.realtime.testing.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server over capacity refuses new sockets with {@code pusher:error} 4100 and close code 4100 (reconnect with a
 * back-off) and new subscriptions with a 503 subscription error, keeps serving the sockets it has on the channels
 * they have, and takes new ones again once back under its thresholds.
 */
@RealtimeServer
@Import(OverloadTests.Readings.class)
class OverloadTests {

    @TestConfiguration
    static class Readings {

        @Bean
        SettableReadings settableReadings() {
            return new SettableReadings();
        }

        @Bean
        AdmissionControl admissionControl(CapacityProperties properties, SettableReadings readings) {
            return new AdmissionControl(properties, readings);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    InMemoryAppDirectory apps;

    @Autowired
    SettableReadings readings;

    @Autowired
    AdmissionControl admission;

    @Autowired
    RealtimeEvents events;

    @Autowired
    Hub hub;

    @AfterEach
    void backUnderCapacity() {
        readings.clear();
        admission.sample();
    }

    @Test
    void overCapacityNewSocketsAreRefusedWith4100WhileOpenOnesKeepWorking() {
        AppConfig app = TestApps.create(apps);
        RawSocket open = RawSocket.connect(port, TestApps.key(app));
        open.subscribed("room");

        readings.set(Resource.HEAP, 0.97);
        admission.sample();

        RawSocket refused = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=7");
        var error = refused.next();
        assertThat(error.get("event").asString()).isEqualTo("pusher:error");
        assertThat(error.get("data").get("code").asInt()).isEqualTo(4100);
        assertThat(error.get("data").get("message").asString()).contains("heap");
        assertThat(refused.awaitClose()).isEqualTo(4100);
        assertThat(admission.refusals(AdmissionControl.Surface.WEBSOCKET, Resource.HEAP)).isEqualTo(1);
        assertThat(hub.traffic(app.id()).refusals(Refusal.OVERLOAD)).isEqualTo(1);

        // the socket that was already open still receives; it takes on no new channel (503, retry later) but keeps its own
        trigger(app, "room", "still-here");
        assertThat(open.nextEvent("still-here").get("channel").asString()).isEqualTo("room");
        open.subscribe("another-room");
        var subscriptionError = open.nextEvent("pusher:subscription_error");
        assertThat(subscriptionError.get("channel").asString()).isEqualTo("another-room");
        assertThat(subscriptionError.get("data").get("status").asInt()).isEqualTo(503);
        assertThat(subscriptionError.get("data").get("type").asString()).isEqualTo("Unavailable");
        assertThat(admission.refusals(AdmissionControl.Surface.SUBSCRIPTION, Resource.HEAP)).isEqualTo(1);
        assertThat(hub.traffic(app.id()).refusals(Refusal.OVERLOAD)).isEqualTo(2);
        trigger(app, "room", "also-here");
        assertThat(open.nextEvent("also-here").get("channel").asString()).isEqualTo("room");

        readings.clear();
        admission.sample();
        RawSocket again = RawSocket.connect(port, TestApps.key(app));
        again.subscribed("room");
        trigger(app, "room", "both");
        assertThat(again.nextEvent("both")).isNotNull();
        assertThat(open.nextEvent("both")).isNotNull();
        open.close();
        again.close();
    }

    @Test
    void outOfFileDescriptorsTheRefusalSaysSo() {
        AppConfig app = TestApps.create(apps);
        readings.set(Resource.FILE_DESCRIPTORS, 0.95);
        admission.sample();
        RawSocket refused = RawSocket.open(port, "/app/" + TestApps.key(app) + "?protocol=7");
        assertThat(refused.next().get("data").get("message").asString()).contains("file descriptors");
        assertThat(refused.awaitClose()).isEqualTo(4100);
        assertThat(refused.closeReason()).contains("file descriptors");
    }

    private void trigger(AppConfig app, String channel, String event) {
        events.trigger(app.id(), List.of(ChannelName.parse(channel).orElseThrow()), event, "{}", null).block();
    }
}
