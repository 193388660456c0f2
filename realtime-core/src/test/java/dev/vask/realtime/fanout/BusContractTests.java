package dev.vask.realtime.fanout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vask.realtime.app.AppId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What every {@link Bus} must do; each implementation runs this whole class. */
abstract class BusContractTests {

    protected abstract Bus createBus(LocalDelivery delivery);

    @Test
    void publishedEventsReachLocalDeliveryInPublishOrder() {
        List<ChannelEvent> delivered = new CopyOnWriteArrayList<>();
        Bus bus = createBus(delivered::add);
        AppId app = new AppId(1);
        bus.subscribed(app, "c").block(Duration.ofSeconds(5));
        for (int i = 0; i < 100; i++) {
            bus.publish(new ChannelEvent(app, "c", "e", "\"" + i + "\"", null, null)).block(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 100);
        for (int i = 0; i < 100; i++) {
            assertThat(delivered.get(i).dataJson()).isEqualTo("\"" + i + "\"");
        }
        bus.close();
    }

    @Test
    void theEventArrivesWhole() {
        List<ChannelEvent> delivered = new CopyOnWriteArrayList<>();
        Bus bus = createBus(delivered::add);
        ChannelEvent event = new ChannelEvent(new AppId(9), "presence-x", "client-a", "{\"k\":1}", "user", "1.2");
        bus.subscribed(new AppId(9), "presence-x").block(Duration.ofSeconds(5));
        bus.publish(event).block(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.contains(event));
        bus.close();
    }
}
