package dev.vask.realtime.metrics;

import java.time.Duration;
import java.util.List;

import dev.vask.realtime.app.AppId;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-app series for the busiest apps and the listed ones, everything else in app="other", counters that never go back. */
class AppTrafficMetersTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private AppTrafficMeters meters(int top, List<Long> include) {
        AppTrafficMeters meters = new AppTrafficMeters(new AppMetricsProperties(top, include, Duration.ofHours(1)), Schedulers.parallel());
        meters.bindTo(registry);
        return meters;
    }

    @Test
    void theBusiestAppsGetSeriesOfTheirOwnAndTheRestAddUpInOther() {
        AppTrafficMeters meters = meters(2, List.of());
        meters.of(new AppId(1)).delivered(300);
        meters.of(new AppId(2)).delivered(200);
        meters.of(new AppId(3)).delivered(100);
        meters.of(new AppId(3)).connectionOpened();
        meters.of(new AppId(4)).apiMessages(5);
        meters.rank();

        assertThat(meters.selected()).containsExactlyInAnyOrder(new AppId(1), new AppId(2));
        // a series starts when its app is selected; what came before stays in other
        meters.of(new AppId(1)).delivered(7);
        meters.of(new AppId(3)).delivered(1);
        assertThat(counter("vask.app.deliveries", "1")).isEqualTo(7);
        assertThat(counter("vask.app.deliveries", "2")).isZero();
        assertThat(counter("vask.app.deliveries", "other")).isEqualTo(300 + 200 + 100 + 1);
        assertThat(counter("vask.app.messages", "other", "source", "api")).isEqualTo(5);
        assertThat(gauge("vask.app.connections", "other")).isEqualTo(1);
        assertThat(registry.find("vask.app.deliveries").tag("app", "3").functionCounter()).isNull();
        assertThat(appTags()).containsExactlyInAnyOrder("1", "2", "other");
    }

    @Test
    void countersNeverGoBackWhenAppsEnterOrLeaveTheSelection() {
        AppTrafficMeters meters = meters(1, List.of());
        AppTraffic a = meters.of(new AppId(10));
        AppTraffic b = meters.of(new AppId(11));
        a.delivered(50);
        b.delivered(5);
        meters.rank();
        assertThat(meters.selected()).containsExactly(new AppId(10));
        double otherBefore = counter("vask.app.deliveries", "other");

        // b is now the busier: it takes the series, a goes to other; other only grows, and all series add up to the total
        b.delivered(100);
        a.delivered(1);
        meters.rank();
        assertThat(meters.selected()).containsExactly(new AppId(11));
        a.delivered(2);
        b.delivered(3);
        double other = counter("vask.app.deliveries", "other");
        assertThat(other).isGreaterThanOrEqualTo(otherBefore);
        assertThat(counter("vask.app.deliveries", "11")).isEqualTo(3);
        assertThat(registry.find("vask.app.deliveries").tag("app", "10").functionCounter()).isNull();
        // everything ever counted is in some series: 1 of a's while selected was in a's series, now gone with it
        assertThat(other + counter("vask.app.deliveries", "11") + 1).isEqualTo(a.deliveries() + b.deliveries());
    }

    @Test
    void listedAppsAlwaysHaveSeriesOfTheirOwnEvenWhenQuiet() {
        AppTrafficMeters meters = meters(0, List.of(42L));
        meters.of(new AppId(7)).delivered(1000);
        meters.rank();
        assertThat(meters.selected()).containsExactly(new AppId(42));
        meters.of(new AppId(42)).refused(Refusal.AUTH);
        meters.of(new AppId(42)).slowClose();
        assertThat(counter("vask.app.refusals", "42", "reason", "auth")).isEqualTo(1);
        assertThat(counter("vask.app.refusals", "42", "reason", "limit")).isZero();
        assertThat(counter("vask.app.slow.closes", "42")).isEqualTo(1);
        assertThat(counter("vask.app.deliveries", "other")).isEqualTo(1000);
    }

    @Test
    void quietAppsWithoutSocketsAreNotSelected() {
        AppTrafficMeters meters = meters(5, List.of());
        meters.of(new AppId(1)).delivered(10);
        meters.of(new AppId(2)).connectionOpened();
        meters.rank();
        assertThat(meters.selected()).containsExactlyInAnyOrder(new AppId(1), new AppId(2));
        // nothing since the last ranking and no sockets: back to other
        meters.rank();
        assertThat(meters.selected()).containsExactly(new AppId(2));
    }

    @Test
    void subscriptionsAreAGaugeThatFollowsTheApp() {
        AppTrafficMeters meters = meters(5, List.of(1L));
        AppTraffic app = meters.of(new AppId(1));
        meters.rank();
        app.subscribed();
        app.subscribed();
        app.unsubscribed();
        assertThat(gauge("vask.app.subscriptions", "1")).isEqualTo(1);
    }

    private double counter(String name, String app, String... tags) {
        return registry.get(name).tag("app", app).tags(tags).functionCounter().count();
    }

    private double gauge(String name, String app) {
        return registry.get(name).tag("app", app).gauge().value();
    }

    private List<String> appTags() {
        return Search.in(registry).name("vask.app.deliveries").meters().stream().map(Meter::getId).map(id -> id.getTag("app")).toList();
    }
}
