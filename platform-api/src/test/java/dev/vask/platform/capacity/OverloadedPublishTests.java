package dev.vask.platform.capacity;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.pusher.rest.data.Result;
import dev.vask.platform.CapacityTestServer;
import dev.vask.platform.pusherapi.PusherApiTestApps.TestApp;
import dev.vask.realtime.capacity.AdmissionControl;
import dev.vask.realtime.capacity.Resource;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over capacity, HTTP publishes are refused with 503, {@code Retry-After} and a JSON body naming what ran short,
 * before anything of the request is read; the sockets already open stay; once back under, publishing works again.
 */
class OverloadedPublishTests extends CapacityTestServer {

    @AfterEach
    void backUnderCapacity() {
        readings.clear();
        admission.sample();
    }

    @Test
    void overCapacityAPublishIs503WithRetryAfterAndTheReasonAndWorksAgainOnceBackUnder() throws Exception {
        TestApp app = newApp();
        try (Subscriber subscriber = Subscriber.connect(port, app.key()).subscribe("orders", "paid", "after")) {
            readings.set(Resource.DIRECT_MEMORY, 0.95);
            admission.sample();

            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apps/" + app.id()
                    + "/events?auth_key=" + app.key())).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"paid\",\"channels\":[\"orders\"],\"data\":\"{}\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(refused.body()).contains("\"reason\":\"direct_memory\"").contains("Over capacity");

            // what the official SDK sees: the 503 and its message
            Result sdkRefused = sdk(app).trigger("orders", "paid", Map.of("n", 1));
            assertThat(sdkRefused.getHttpStatus()).isEqualTo(503);
            assertThat(sdkRefused.getMessage()).contains("direct_memory");
            assertThat(admission.refusals(AdmissionControl.Surface.PUBLISH, Resource.DIRECT_MEMORY)).isEqualTo(2);

            readings.clear();
            admission.sample();
            Result accepted = sdk(app).trigger("orders", "after", Map.of("n", 2));
            assertThat(accepted.getHttpStatus()).as(accepted.getMessage()).isEqualTo(200);
            // nothing of the refused publishes was delivered: the first event the socket sees is the one after
            assertThat(subscriber.next().getEventName()).isEqualTo("after");
        }
    }

    @Test
    void overloadRefusalsAreInTheScrapeByResourceAndSurface() throws Exception {
        readings.set(Resource.HEAP, 0.99);
        admission.sample();
        TestApp app = newApp();
        assertThat(sdk(app).trigger("c", "e", Map.of()).getHttpStatus()).isEqualTo(503);
        String scrape = scrape();
        assertThat(value(scrape, "vask_capacity_refusals_total", "resource", "heap", "surface", "publish")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "vask_capacity_overloaded")).isEqualTo(1);
        assertThat(value(scrape, "vask_capacity_usage", "resource", "heap")).isEqualTo(0.99);
    }
}
