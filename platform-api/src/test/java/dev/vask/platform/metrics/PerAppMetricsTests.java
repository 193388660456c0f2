package dev.vask.platform.metrics;

import java.util.Map;

import com.pusher.rest.data.Result;
import dev.vask.platform.CapacityTestServer;
import dev.vask.platform.pusherapi.PusherApiTestApps.TestApp;
import dev.vask.realtime.metrics.AppTrafficMeters;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-app series in the Prometheus scrape: the busiest app (top 1 here) has its own, whose counters match what was
 * published and delivered; the next app's figures land in {@code app="other"}.
 */
class PerAppMetricsTests extends CapacityTestServer {

    @Autowired
    AppTrafficMeters meters;

    @Test
    void theBusiestAppHasSeriesOfItsOwnAndTheNextLandsInOther() throws Exception {
        TestApp busy = newApp();
        TestApp quiet = newApp();
        String busyId = Long.toString(busy.id());
        try (Subscriber one = Subscriber.connect(port, busy.key()).subscribe("feed", "tick");
                Subscriber two = Subscriber.connect(port, busy.key()).subscribe("feed", "tick");
                Subscriber other = Subscriber.connect(port, quiet.key()).subscribe("feed", "tick")) {
            // the busy app becomes the busiest: 20 publishes, 40 deliveries, against the quiet app's one
            for (int i = 0; i < 20; i++) {
                assertThat(sdk(busy).trigger("feed", "tick", Map.of("i", i)).getHttpStatus()).isEqualTo(200);
            }
            for (int i = 0; i < 20; i++) {
                one.next();
                two.next();
            }
            assertThat(sdk(quiet).trigger("feed", "tick", Map.of()).getHttpStatus()).isEqualTo(200);
            other.next();
            meters.rank();
            assertThat(meters.selected()).extracting(Object::toString).containsExactly(busyId);

            String before = scrape();
            double otherMessagesBefore = value(before, "vask_app_messages_total", "app", "other", "source", "api");
            double otherDeliveriesBefore = value(before, "vask_app_deliveries_total", "app", "other");
            assertThat(value(before, "vask_app_connections", "app", busyId)).isEqualTo(2);
            assertThat(value(before, "vask_app_subscriptions", "app", busyId)).isEqualTo(2);

            // a known number from here: 7 publishes of the busy app to its two sockets, 3 of the quiet one to its one
            for (int i = 0; i < 7; i++) {
                assertThat(sdk(busy).trigger("feed", "tick", Map.of("i", i)).getHttpStatus()).isEqualTo(200);
            }
            for (int i = 0; i < 7; i++) {
                one.next();
                two.next();
            }
            for (int i = 0; i < 3; i++) {
                assertThat(sdk(quiet).trigger("feed", "tick", Map.of("i", i)).getHttpStatus()).isEqualTo(200);
                other.next();
            }
            // and one refusal over a limit: data larger than the app's message limit
            Result tooLarge = sdk(busy).trigger("feed", "tick", Map.of("blob", "x".repeat(20_000)));
            assertThat(tooLarge.getHttpStatus()).isEqualTo(413);

            String after = scrape();
            assertThat(value(after, "vask_app_messages_total", "app", busyId, "source", "api")).isEqualTo(7);
            assertThat(value(after, "vask_app_deliveries_total", "app", busyId)).isEqualTo(14);
            assertThat(value(after, "vask_app_refusals_total", "app", busyId, "reason", "limit")).isEqualTo(1);
            assertThat(value(after, "vask_app_refusals_total", "app", busyId, "reason", "auth")).isZero();
            assertThat(value(after, "vask_app_slow_closes_total", "app", busyId)).isZero();
            assertThat(value(after, "vask_app_messages_total", "app", "other", "source", "api") - otherMessagesBefore).isEqualTo(3);
            assertThat(value(after, "vask_app_deliveries_total", "app", "other") - otherDeliveriesBefore).isEqualTo(3);
            assertThat(after).doesNotContain("app=\"" + quiet.id() + "\"");
        }
    }
}
