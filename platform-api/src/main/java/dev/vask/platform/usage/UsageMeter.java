package dev.vask.platform.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.usage.UsageRecorder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Counts each app's usage on this node and adds it to {@code app_usage_daily} (per app and UTC day)
 * on {@link #flush()}, which {@code UsageFlusher} calls every {@code vask.usage.flush-interval} and
 * once more at shutdown.
 *
 * <p>Two audiences:
 * <ul>
 * <li>Realtime, through {@link UsageRecorder}: called on event loops, so these methods only touch
 *     in-memory counters ({@link LongAdder}, atomics): no I/O, no locks beyond a map lookup, no throw.</li>
 * <li>The Pusher HTTP API: {@link #tryConsumeMessages(AppConfig, int)} before publishing,
 *     {@link #recordApiMessages(AppId, int)} and {@link #recordRejected(AppId)}.</li>
 * </ul>
 *
 * <p>Cluster behaviour: every node adds deltas with an upsert, so counts from all nodes add up. The peak
 * of connections is the highest sum, over the nodes that reported within the last few intervals, of
 * each node's peak within its last interval ({@code app_node_connections}): close to, and never below,
 * the true cluster-wide peak. The daily quota counts what Postgres knows (refreshed every interval)
 * plus this node's unflushed messages, so the cluster can overshoot it by what the other nodes
 * accepted within one interval.
 */
public final class UsageMeter implements UsageRecorder {

    private static final Logger log = LoggerFactory.getLogger(UsageMeter.class);

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final Clock clock;
    private final Duration flushInterval;
    private final String nodeId;
    private final Map<AppId, Counters> counters = new ConcurrentHashMap<>();

    public UsageMeter(DatabaseClient database, TransactionalOperator transactions, Clock clock, Duration flushInterval, String nodeId) {
        this.database = database;
        this.transactions = transactions;
        this.clock = clock;
        this.flushInterval = flushInterval;
        this.nodeId = nodeId;
    }

    /** This node's id in {@code app_node_connections}. */
    public String nodeId() {
        return nodeId;
    }

    // ---- UsageRecorder (realtime, event loops) ----

    @Override
    public void connectionOpened(AppId app, int openOnNode) {
        Counters counts = counters(app);
        counts.open = openOnNode;
        counts.intervalPeak.accumulateAndGet(openOnNode, Math::max);
    }

    @Override
    public void connectionClosed(AppId app, int openOnNode) {
        counters(app).open = Math.max(0, openOnNode);
    }

    @Override
    public void clientEvent(AppId app) {
        counters(app).clientEvents.increment();
    }

    @Override
    public void delivered(AppId app, int frames) {
        if (frames > 0) {
            counters(app).deliveries.add(frames);
        }
    }

    @Override
    public void rejected(AppId app) {
        counters(app).rejected.increment();
    }

    // ---- HTTP API ----

    /**
     * Counts {@code count} messages accepted by the HTTP API for the app (one per channel an event is
     * published to, as Pusher counts), without any quota check. Never blocks.
     */
    public void recordApiMessages(AppId app, int count) {
        if (count > 0) {
            counters(app).apiMessages.addAndGet(count);
        }
    }

    /** Counts Web Push outcomes: accepted by the push service, not delivered, subscription gone (404/410, expired). Never blocks. */
    public void recordPushes(AppId app, int sent, int failed, int gone) {
        Counters counts = counters(app);
        if (sent > 0) {
            counts.pushesSent.add(sent);
        }
        if (failed > 0) {
            counts.pushesFailed.add(failed);
        }
        if (gone > 0) {
            counts.pushesGone.add(gone);
        }
    }

    /** Counts one refused HTTP API request of the app (bad signature, over a limit, malformed). Never blocks. */
    public void recordRejected(AppId app) {
        rejected(app);
    }

    /**
     * Whether the app may send {@code count} more messages today (UTC day) within
     * {@code app.limits().maxMessagesPerDay()}, and if so counts them.
     *
     * <ul>
     * <li>{@code true}: the messages are counted as {@link #recordApiMessages sent}; do not record them again.</li>
     * <li>{@code false}: the quota would be exceeded; nothing is counted. Answer the client 429 as the Pusher API
     *     does, and count the refusal as {@link #recordRejected rejected} once, as for any other refused request
     *     (the HTTP API counts every refusal of a signed request).</li>
     * <li>Without a quota ({@code null}) always {@code true} at once.</li>
     * </ul>
     * Completes at once from memory, except the first time for an app on a node each interval (one
     * indexed read of today's row); never errors: if the database cannot be read it lets the messages
     * through (and logs), since refusing traffic for a monitoring failure would be worse.
     */
    public Mono<Boolean> tryConsumeMessages(AppConfig app, int count) {
        if (count < 0) {
            return Mono.error(new IllegalArgumentException("count must not be negative: " + count));
        }
        Counters counts = counters(app.id());
        Long limit = app.limits().maxMessagesPerDay();
        if (limit == null) {
            counts.apiMessages.addAndGet(count);
            return Mono.just(true);
        }
        LocalDate today = today();
        Persisted known = counts.persisted.get();
        // a flush that completes while this read is under way holds fresher figures: the read gives way to it
        if (known != null && known.day().equals(today) && System.nanoTime() - known.readAtNanos() < flushInterval.toNanos()) {
            return Mono.just(consume(counts, limit, count)); // today's figures are fresh: answered from memory
        }
        Mono<Void> fresh = readPersisted(app.id(), today).doOnNext(read -> counts.persisted.compareAndSet(known, read)).then();
        return fresh
                .then(Mono.fromSupplier(() -> consume(counts, limit, count)))
                .onErrorResume(error -> {
                    log.atWarn().addKeyValue("appId", app.id()).log("Could not read today's usage ({}); not enforcing the quota",
                            error.toString());
                    counts.apiMessages.addAndGet(count);
                    return Mono.just(true);
                });
    }

    /**
     * Counts the messages if they fit. Reads in the order the counters move (a flush adds to in-flight before it
     * takes from pending, and stores its total before it takes from in-flight), so a flush running meanwhile can
     * make a message count twice for a moment, never zero times.
     */
    private static boolean consume(Counters counts, long limit, int count) {
        while (true) {
            long pending = counts.apiMessages.get();
            long inFlight = counts.apiInFlight.get();
            long used = Objects.requireNonNull(counts.persisted.get(), "read before consuming").messages() + inFlight + pending;
            if (used + count > limit) {
                return false;
            }
            if (counts.apiMessages.compareAndSet(pending, pending + count)) {
                return true;
            }
        }
    }

    private Mono<Persisted> readPersisted(AppId app, LocalDate day) {
        long readAt = System.nanoTime();
        return database.sql("select api_messages from app_usage_daily where app_id = :app and day = :day")
                .bind("app", app.value())
                .bind("day", day)
                .map(row -> row.get("api_messages", Long.class))
                .one()
                .defaultIfEmpty(0L)
                .map(messages -> new Persisted(day, messages, readAt));
    }

    // ---- flushing ----

    /**
     * Adds everything counted since the last flush to Postgres, in one transaction, and refreshes the
     * quota figures. If the write fails the counts are kept for the next flush. Apps deleted meanwhile
     * are skipped (their counts are dropped).
     */
    public Mono<Void> flush() {
        LocalDate day = today();
        List<Delta> deltas = new ArrayList<>();
        counters.forEach((app, counts) -> {
            Delta delta = counts.drain(app);
            if (delta != null) {
                deltas.add(delta);
            }
        });
        if (deltas.isEmpty()) {
            return Mono.empty();
        }
        return transactions.transactional(writeDaily(deltas, day))
                .doOnNext(totals -> {
                    long readAt = System.nanoTime();
                    for (Delta delta : deltas) {
                        Counters counts = counters.get(delta.app());
                        if (counts == null) {
                            continue;
                        }
                        Long total = totals.get(delta.app().value());
                        if (total != null) {
                            counts.persisted.set(new Persisted(day, total, readAt));
                        }
                        counts.apiInFlight.addAndGet(-delta.apiMessages());
                        counts.reportedOpen = delta.open();
                    }
                })
                .doOnError(error -> {
                    log.atWarn().addKeyValue("apps", deltas.size()).log("Could not write usage ({}); keeping it for the next flush",
                            error.toString());
                    deltas.forEach(delta -> {
                        Counters counts = counters.get(delta.app());
                        if (counts != null) {
                            counts.restore(delta);
                        }
                    });
                })
                .then();
    }

    /** Removes this node's connection reports (when it stops, so that its sockets no longer count). */
    public Mono<Void> leave() {
        return database.sql("delete from app_node_connections where node_id = :node").bind("node", nodeId).then();
    }

    private Mono<Map<Long, Long>> writeDaily(List<Delta> deltas, LocalDate day) {
        List<Delta> connected = deltas.stream().filter(delta -> delta.peak() > 0 || delta.open() > 0 || delta.reportedOpen() > 0).toList();
        Mono<Void> report = connected.isEmpty() ? Mono.empty() : database.sql("""
                        insert into app_node_connections as n (app_id, node_id, connections, peak, reported_at)
                        select d.app_id, :node, d.open, greatest(d.peak, d.open), now()
                        from unnest(:apps::bigint[], :open::int[], :peak::int[]) as d(app_id, open, peak)
                        where exists (select 1 from apps a where a.id = d.app_id)
                        on conflict (app_id, node_id) do update set connections = excluded.connections, peak = excluded.peak,
                            reported_at = excluded.reported_at""")
                .bind("node", nodeId)
                .bind("apps", connected.stream().map(delta -> delta.app().value()).toArray(Long[]::new))
                .bind("open", connected.stream().map(Delta::open).toArray(Integer[]::new))
                .bind("peak", connected.stream().map(Delta::peak).toArray(Integer[]::new))
                .then();
        Mono<Map<Long, Long>> daily = database.sql("""
                        insert into app_usage_daily as u (app_id, day, peak_connections, api_messages, client_events, deliveries, rejected,
                                                          pushes_sent, pushes_failed, pushes_gone)
                        select d.app_id, :day,
                               coalesce((select sum(n.peak) from app_node_connections n
                                         where n.app_id = d.app_id and n.reported_at > now() - make_interval(secs => :recent)), 0),
                               d.api, d.client_events, d.deliveries, d.rejected, d.pushes_sent, d.pushes_failed, d.pushes_gone
                        from unnest(:apps::bigint[], :api::bigint[], :clientEvents::bigint[], :deliveries::bigint[], :rejected::bigint[],
                                    :pushesSent::bigint[], :pushesFailed::bigint[], :pushesGone::bigint[])
                             as d(app_id, api, client_events, deliveries, rejected, pushes_sent, pushes_failed, pushes_gone)
                        where exists (select 1 from apps a where a.id = d.app_id)
                        on conflict (app_id, day) do update set
                            peak_connections = greatest(u.peak_connections, excluded.peak_connections),
                            api_messages = u.api_messages + excluded.api_messages,
                            client_events = u.client_events + excluded.client_events,
                            deliveries = u.deliveries + excluded.deliveries,
                            rejected = u.rejected + excluded.rejected,
                            pushes_sent = u.pushes_sent + excluded.pushes_sent,
                            pushes_failed = u.pushes_failed + excluded.pushes_failed,
                            pushes_gone = u.pushes_gone + excluded.pushes_gone
                        returning app_id, api_messages""")
                .bind("day", day)
                .bind("recent", 3.0 * flushInterval.toMillis() / 1000)
                .bind("apps", deltas.stream().map(delta -> delta.app().value()).toArray(Long[]::new))
                .bind("api", deltas.stream().map(Delta::apiMessages).toArray(Long[]::new))
                .bind("clientEvents", deltas.stream().map(Delta::clientEvents).toArray(Long[]::new))
                .bind("deliveries", deltas.stream().map(Delta::deliveries).toArray(Long[]::new))
                .bind("rejected", deltas.stream().map(Delta::rejected).toArray(Long[]::new))
                .bind("pushesSent", deltas.stream().map(Delta::pushesSent).toArray(Long[]::new))
                .bind("pushesFailed", deltas.stream().map(Delta::pushesFailed).toArray(Long[]::new))
                .bind("pushesGone", deltas.stream().map(Delta::pushesGone).toArray(Long[]::new))
                .map(row -> Map.entry(row.get("app_id", Long.class), row.get("api_messages", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
        Mono<Void> tidy = database.sql("delete from app_node_connections where reported_at < now() - interval '1 hour'").then();
        return report.then(daily).flatMap(totals -> tidy.thenReturn(totals));
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private Counters counters(AppId app) {
        Counters counts = counters.get(app);
        return counts != null ? counts : counters.computeIfAbsent(app, id -> new Counters());
    }

    /** What Postgres held for the app's messages on that day, as of readAtNanos. */
    private record Persisted(LocalDate day, long messages, long readAtNanos) {
    }

    /** What one flush writes for one app. */
    private record Delta(AppId app, long apiMessages, long clientEvents, long deliveries, long rejected, int open, int peak,
            int reportedOpen, long pushesSent, long pushesFailed, long pushesGone) {
    }

    /** One app's counters on this node. */
    private static final class Counters {

        final AtomicLong apiMessages = new AtomicLong();
        final AtomicLong apiInFlight = new AtomicLong();
        final LongAdder clientEvents = new LongAdder();
        final LongAdder deliveries = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder pushesSent = new LongAdder();
        final LongAdder pushesFailed = new LongAdder();
        final LongAdder pushesGone = new LongAdder();
        final AtomicInteger intervalPeak = new AtomicInteger();
        volatile int open;
        volatile int reportedOpen;
        final AtomicReference<@Nullable Persisted> persisted = new AtomicReference<>();

        /** One flush at a time takes the pending messages (another would take them too); they stay counted throughout. */
        synchronized @Nullable Delta drain(AppId app) {
            long api = apiMessages.get();
            apiInFlight.addAndGet(api);
            apiMessages.addAndGet(-api);
            long events = clientEvents.sumThenReset();
            long delivered = deliveries.sumThenReset();
            long refused = rejected.sumThenReset();
            long pushed = pushesSent.sumThenReset();
            long notPushed = pushesFailed.sumThenReset();
            long pushGone = pushesGone.sumThenReset();
            int openNow = open;
            int peak = Math.max(intervalPeak.getAndSet(openNow), openNow);
            if (api == 0 && events == 0 && delivered == 0 && refused == 0 && peak == 0 && reportedOpen == 0
                    && pushed == 0 && notPushed == 0 && pushGone == 0) {
                return null;
            }
            return new Delta(app, api, events, delivered, refused, openNow, peak, reportedOpen, pushed, notPushed, pushGone);
        }

        void restore(Delta delta) {
            apiMessages.addAndGet(delta.apiMessages());
            apiInFlight.addAndGet(-delta.apiMessages());
            clientEvents.add(delta.clientEvents());
            deliveries.add(delta.deliveries());
            rejected.add(delta.rejected());
            pushesSent.add(delta.pushesSent());
            pushesFailed.add(delta.pushesFailed());
            pushesGone.add(delta.pushesGone());
            intervalPeak.accumulateAndGet(delta.peak(), Math::max);
        }
    }

    @Override
    public String toString() {
        return "UsageMeter[node=" + nodeId + ", apps=" + counters.size() + "]";
    }
}
