package dev.vask.platform.usage;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.realtime.app.AppId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.awaitility.Awaitility.await;

/** Reading an app's daily usage over the API. */
class UsageApiTests extends ManagementApiTestSupport {

    @Autowired
    UsageMeter meter;

    @Test
    void theLastThirtyDaysAreAnsweredByDefaultWithZerosOnQuietDaysAndTodaysCounts() {
        TestAccount owner = signUp();
        long app = owner.createApp("Measured");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        database.execute("insert into app_usage_daily (app_id, day, api_messages, peak_connections, pushes_sent) values (" + app + ", '"
                + today.minusDays(3) + "', 12, 4, 5)");
        meter.clientEvent(new AppId(app));
        meter.recordApiMessages(new AppId(app), 2);
        meter.recordPushes(new AppId(app), 3, 2, 1);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> owner.api().get().uri("/api/v1/apps/{a}/usage", app).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.appId").isEqualTo(app)
                .jsonPath("$.from").isEqualTo(today.minusDays(29).toString())
                .jsonPath("$.to").isEqualTo(today.toString())
                .jsonPath("$.days.length()").isEqualTo(30)
                .jsonPath("$.days[26].day").isEqualTo(today.minusDays(3).toString())
                .jsonPath("$.days[26].apiMessages").isEqualTo(12)
                .jsonPath("$.days[26].peakConnections").isEqualTo(4)
                .jsonPath("$.days[27].apiMessages").isEqualTo(0)
                .jsonPath("$.days[29].apiMessages").isEqualTo(2)
                .jsonPath("$.days[29].clientEvents").isEqualTo(1)
                .jsonPath("$.days[26].pushesSent").isEqualTo(5)
                .jsonPath("$.days[29].pushesSent").isEqualTo(3)
                .jsonPath("$.days[29].pushesFailed").isEqualTo(2)
                .jsonPath("$.days[29].pushesGone").isEqualTo(1));
    }

    @Test
    void aRangeIsChosenWithFromAndToWithinLimits() {
        TestAccount owner = signUp();
        long app = owner.createApp("Measured");
        owner.api().get().uri("/api/v1/apps/{a}/usage?from=2026-01-01&to=2026-01-03", app).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.days.length()").isEqualTo(3).jsonPath("$.days[0].day").isEqualTo("2026-01-01");
        owner.api().get().uri("/api/v1/apps/{a}/usage?from=2026-01-03&to=2026-01-01", app).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("from").jsonPath("$.errors[0].message").isEqualTo("must not be after to");
        owner.api().get().uri("/api/v1/apps/{a}/usage?from=2024-01-01&to=2026-01-01", app).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("the range must span at most 366 days");
        owner.api().get().uri("/api/v1/apps/{a}/usage?from=yesterday", app).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("from").jsonPath("$.errors[0].message").isEqualTo("must be a date such as 2026-11-25");
    }
}
