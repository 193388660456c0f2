package dev.vask.realtime.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import dev.vask.realtime.app.AppId;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * This node's per-app figures ({@link AppTraffic}) as Prometheus series, with bounded cardinality: the
 * {@link AppMetricsProperties#top() busiest} apps, ranked again every {@link AppMetricsProperties#rankInterval()} by
 * what they sent and received since the last ranking, and the apps listed in {@link AppMetricsProperties#include()}
 * get {@code app="<id>"} series; every other app adds up in {@code app="other"}.
 *
 * <p>Counters stay counters across rankings: an app's own series starts at 0 when the app enters the selection
 * (what it counted before stays in {@code other}), and when it leaves, its series goes and {@code other} counts its
 * increments from then on. So {@code sum by (reason) (rate(...))} over all series is the node's total at any time.
 *
 * <p>Counting never touches Micrometer: the hub and the HTTP API add to an app's {@link AppTraffic}; the meters read
 * it when scraped.
 */
public final class AppTrafficMeters implements MeterBinder, SmartLifecycle {

    static final String OTHER = "other";

    /** A counter of every app, with the tags that tell it apart from the others of its name. */
    private record Kind(String name, Tags tags, String description, ToLongFunction<AppTraffic> read) {
    }

    private static final List<Kind> COUNTERS = counters();

    private static List<Kind> counters() {
        List<Kind> kinds = new ArrayList<>();
        kinds.add(new Kind("vask.app.messages", Tags.of("source", "api"), "Messages the app published (one per channel, as Pusher counts)",
                AppTraffic::apiMessages));
        kinds.add(new Kind("vask.app.messages", Tags.of("source", "client"), "Messages the app published (one per channel, as Pusher counts)",
                AppTraffic::clientEvents));
        kinds.add(new Kind("vask.app.deliveries", Tags.empty(), "Event frames written to the app's sockets (one per receiving socket)",
                AppTraffic::deliveries));
        kinds.add(new Kind("vask.app.slow.closes", Tags.empty(), "The app's sockets closed with 4100 for not reading their events fast enough",
                AppTraffic::slowCloses));
        for (Refusal reason : Refusal.values()) {
            kinds.add(new Kind("vask.app.refusals", Tags.of("reason", reason.tag()),
                    "Requests of the app's clients and backend refused, by reason", traffic -> traffic.refusals(reason)));
        }
        return List.copyOf(kinds);
    }

    /**
     * Who has series of their own, and what their counters held when the selection last changed for them.
     *
     * @param tagged the selected apps, with their counters when they were selected (their series count from there)
     * @param untagged the other apps that were selected before, with their counters when they left
     * @param retired what apps counted in {@code other} before they were selected
     */
    private record Selection(Map<AppId, long[]> tagged, Map<AppId, long[]> untagged, long[] retired) {
    }

    private final AppMetricsProperties properties;
    private final Scheduler scheduler;
    private final Map<AppId, AppTraffic> apps = new ConcurrentHashMap<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<AppId, List<Meter>> meters = new HashMap<>();
    private final Map<AppId, Long> activityAtLastRank = new HashMap<>();
    private volatile Selection selection = new Selection(Map.of(), Map.of(), new long[COUNTERS.size()]);
    private @Nullable Disposable ranking;

    public AppTrafficMeters(AppMetricsProperties properties, Scheduler scheduler) {
        this.properties = properties;
        this.scheduler = scheduler;
    }

    /** The app's counters on this node, created at its first use. Cheap, but callers on the hot path keep the reference. */
    public AppTraffic of(AppId app) {
        AppTraffic traffic = apps.get(app);
        return traffic != null ? traffic : apps.computeIfAbsent(app, AppTraffic::new);
    }

    /** The apps with series of their own, as of the latest ranking. */
    public Set<AppId> selected() {
        return selection.tagged().keySet();
    }

    // ---- ranking ----

    /** Ranks the apps again and moves series accordingly; runs every rank interval (and in tests). */
    public synchronized void rank() {
        Selection old = selection;
        Set<AppId> chosen = choose();
        Map<AppId, long[]> tagged = new HashMap<>();
        Map<AppId, long[]> untagged = new HashMap<>(old.untagged());
        long[] retired = old.retired().clone();
        List<AppId> entered = new ArrayList<>();
        for (AppId app : chosen) {
            long[] base = old.tagged().get(app);
            if (base == null) {
                long[] now = read(of(app));
                long[] before = untagged.remove(app);
                for (int k = 0; k < now.length; k++) {
                    retired[k] += now[k] - (before == null ? 0 : before[k]);
                }
                base = now;
                entered.add(app);
            }
            tagged.put(app, base);
        }
        List<AppId> left = new ArrayList<>();
        for (AppId app : old.tagged().keySet()) {
            if (!chosen.contains(app)) {
                untagged.put(app, read(of(app)));
                left.add(app);
            }
        }
        selection = new Selection(Map.copyOf(tagged), Map.copyOf(untagged), retired);
        for (AppId app : left) {
            List<Meter> gone = meters.remove(app);
            if (gone != null) {
                for (MeterRegistry registry : registries) {
                    gone.forEach(registry::remove);
                }
            }
        }
        for (AppId app : entered) {
            for (MeterRegistry registry : registries) {
                register(registry, app, tagged.get(app));
            }
        }
    }

    /** The apps to select: those listed, then the busiest since the last ranking (by activity, then connections). */
    private Set<AppId> choose() {
        Set<AppId> chosen = new HashSet<>();
        for (Long id : properties.include()) {
            if (id != null && id > 0) {
                chosen.add(new AppId(id));
            }
        }
        Map<AppId, Long> activityNow = new HashMap<>();
        List<AppTraffic> candidates = new ArrayList<>();
        for (AppTraffic traffic : apps.values()) {
            long activity = traffic.activity();
            activityNow.put(traffic.app, activity);
            if (!chosen.contains(traffic.app)) {
                candidates.add(traffic);
            }
        }
        Map<AppId, Long> delta = new HashMap<>();
        for (AppTraffic traffic : candidates) {
            delta.put(traffic.app, activityNow.get(traffic.app) - activityAtLastRank.getOrDefault(traffic.app, 0L));
        }
        candidates.stream()
                .filter(traffic -> delta.get(traffic.app) > 0 || traffic.connections() > 0)
                .sorted(Comparator.<AppTraffic>comparingLong(traffic -> delta.get(traffic.app)).reversed()
                        .thenComparing(Comparator.comparingInt(AppTraffic::connections).reversed())
                        .thenComparingLong(traffic -> traffic.app.value()))
                .limit(properties.top())
                .forEach(traffic -> chosen.add(traffic.app));
        activityAtLastRank.clear();
        activityAtLastRank.putAll(activityNow);
        return chosen;
    }

    private static long[] read(AppTraffic traffic) {
        long[] values = new long[COUNTERS.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = COUNTERS.get(k).read().applyAsLong(traffic);
        }
        return values;
    }

    // ---- reading, for the meters ----

    private long other(int kind) {
        Selection current = selection;
        long total = current.retired()[kind];
        ToLongFunction<AppTraffic> read = COUNTERS.get(kind).read();
        for (AppTraffic traffic : apps.values()) {
            if (!current.tagged().containsKey(traffic.app)) {
                long[] base = current.untagged().get(traffic.app);
                total += read.applyAsLong(traffic) - (base == null ? 0 : base[kind]);
            }
        }
        return total;
    }

    private int otherGauge(ToLongFunction<AppTraffic> read) {
        Selection current = selection;
        long total = 0;
        for (AppTraffic traffic : apps.values()) {
            if (!current.tagged().containsKey(traffic.app)) {
                total += read.applyAsLong(traffic);
            }
        }
        return (int) total;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        registries.add(registry);
        for (int k = 0; k < COUNTERS.size(); k++) {
            Kind kind = COUNTERS.get(k);
            int index = k;
            FunctionCounter.builder(kind.name(), this, meters -> meters.other(index)).tags(kind.tags()).tag("app", OTHER)
                    .description(kind.description()).register(registry);
        }
        Gauge.builder("vask.app.connections", this, meters -> meters.otherGauge(AppTraffic::connections)).tag("app", OTHER)
                .description("Open WebSocket connections of the app on this node").register(registry);
        Gauge.builder("vask.app.subscriptions", this, meters -> meters.otherGauge(AppTraffic::subscriptions)).tag("app", OTHER)
                .description("Channel subscriptions of the app's sockets on this node").register(registry);
        selection.tagged().forEach((app, base) -> register(registry, app, base));
    }

    private void register(MeterRegistry registry, AppId app, long[] base) {
        AppTraffic traffic = of(app);
        String id = app.toString();
        List<Meter> registered = meters.computeIfAbsent(app, a -> new ArrayList<>());
        for (int k = 0; k < COUNTERS.size(); k++) {
            Kind kind = COUNTERS.get(k);
            long from = base[k];
            ToLongFunction<AppTraffic> read = kind.read();
            registered.add(FunctionCounter.builder(kind.name(), traffic, t -> read.applyAsLong(t) - from).tags(kind.tags()).tag("app", id)
                    .description(kind.description()).register(registry));
        }
        registered.add(Gauge.builder("vask.app.connections", traffic, AppTraffic::connections).tag("app", id)
                .description("Open WebSocket connections of the app on this node").register(registry));
        registered.add(Gauge.builder("vask.app.subscriptions", traffic, AppTraffic::subscriptions).tag("app", id)
                .description("Channel subscriptions of the app's sockets on this node").register(registry));
    }

    // ---- lifecycle: the periodic ranking ----

    @Override
    public synchronized void start() {
        if (ranking == null) {
            long every = Math.max(1, properties.rankInterval().toMillis());
            ranking = scheduler.schedulePeriodically(this::rank, every, every, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (ranking != null) {
            ranking.dispose();
            ranking = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return ranking != null;
    }
}
