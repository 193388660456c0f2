package dev.vask.platform.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.usage.UsageRecorder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Usage counting: in memory on the hot path (never blocking), added to Postgres per app and UTC day by
 * every node, and the daily message quota. The application's meter flushes every 300 ms here; a second
 * {@link UsageMeter} on the same database plays another node.
 */
class UsageMeterTests extends ManagementApiTestSupport {

    @Autowired
    UsageMeter meter;

    @Autowired
    UsageRecorder recorder;

    @Autowired
    AppDirectory directory;

    @Autowired
    DatabaseClient databaseClient;

    @Autowired
    TransactionalOperator transactions;

    @Test
    void theApplicationsUsageRecorderIsTheMeter() throws Exception {
        assertThat(recorder).isSameAs(meter);
    }

    @Test
    void countsFromTwoNodesAddUpInTodaysRow() throws Exception {
        AppId app = new AppId(signUp().createApp("Counted"));
        UsageMeter otherNode = otherNode();
        for (int i = 0; i < 3; i++) {
            meter.clientEvent(app);
        }
        otherNode.clientEvent(app);
        otherNode.clientEvent(app);
        meter.delivered(app, 40);
        otherNode.delivered(app, 2);
        meter.rejected(app);
        meter.recordRejected(app);
        otherNode.recordApiMessages(app, 7);
        meter.recordApiMessages(app, 3);
        StepVerifier.create(otherNode.flush()).verifyComplete();
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(today(app))
                .containsEntry("client_events", 5L).containsEntry("deliveries", 42L).containsEntry("rejected", 2L)
                .containsEntry("api_messages", 10L));
    }

    @Test
    void peakConnectionsIsTheHighestSumOverTheNodes() throws Exception {
        AppId app = new AppId(signUp().createApp("Crowded"));
        UsageMeter otherNode = otherNode();
        meter.connectionOpened(app, 1);
        meter.connectionOpened(app, 2);
        meter.connectionOpened(app, 3);
        otherNode.connectionOpened(app, 1);
        otherNode.connectionOpened(app, 2);
        StepVerifier.create(otherNode.flush()).verifyComplete();
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(today(app)).containsEntry("peak_connections", 5L));
        meter.connectionClosed(app, 2);
        meter.connectionClosed(app, 1);
        meter.connectionClosed(app, 0);
        StepVerifier.create(meter.flush().then(otherNode.flush())).verifyComplete();
        assertThat(today(app)).containsEntry("peak_connections", 5L); // a peak never goes down within the day
        StepVerifier.create(otherNode.leave()).verifyComplete();
        assertThat(nodeRows(app, otherNode.nodeId())).isZero();
    }

    @Test
    void theDailyQuotaRefusesMessagesOverItOnEveryNode() throws Exception {
        TestAccount owner = signUp();
        long id = owner.createApp("Quota");
        owner.api().patch().uri("/api/v1/apps/{a}", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("limits", Map.of("maxMessagesPerDay", 10))).exchange().expectStatus().isOk();
        AppId app = new AppId(id);
        await().atMost(Duration.ofSeconds(2)).until(() -> config(app).limits().maxMessagesPerDay() != null);
        AppConfig config = config(app);
        StepVerifier.create(meter.tryConsumeMessages(config, 6)).expectNext(true).verifyComplete();
        StepVerifier.create(meter.tryConsumeMessages(config, 4)).expectNext(true).verifyComplete();
        StepVerifier.create(meter.tryConsumeMessages(config, 1)).expectNext(false).verifyComplete();
        // a refusal is counted once, by whoever refuses the request (the HTTP API), not here as well
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(today(app))
                .containsEntry("api_messages", 10L).containsEntry("rejected", 0L));
        UsageMeter otherNode = otherNode();
        StepVerifier.create(otherNode.tryConsumeMessages(config, 1)).expectNext(false).verifyComplete();
        StepVerifier.create(otherNode.tryConsumeMessages(config, 0)).expectNext(true).verifyComplete();
        AppConfig unlimited = new AppConfig(app, config.name(), true, config.credentials(), config.features(), AppLimits.DEFAULTS);
        StepVerifier.create(otherNode.tryConsumeMessages(unlimited, 1000)).expectNext(true).verifyComplete();
        StepVerifier.create(otherNode.flush()).verifyComplete();
        assertThat(today(app)).containsEntry("api_messages", 1010L).containsEntry("rejected", 0L);
    }

    @Test
    void countsOfADeletedAppAreDroppedWithoutFailingTheFlush() throws Exception {
        AppId deleted = new AppId(signUp().createApp("Gone"));
        AppId kept = new AppId(signUp().createApp("Kept"));
        UsageMeter otherNode = otherNode();
        otherNode.clientEvent(deleted);
        otherNode.connectionOpened(deleted, 1);
        otherNode.clientEvent(kept);
        database.execute("delete from apps where id = " + deleted);
        StepVerifier.create(otherNode.flush()).verifyComplete();
        assertThat(today(deleted)).isEmpty();
        assertThat(today(kept)).containsEntry("client_events", 1L);
    }

    @Test
    void theHotPathNeverBlocksAnEventLoop() throws Exception {
        AppId app = new AppId(signUp().createApp("Hot"));
        AppConfig config = config(app);
        Mono<Void> hotPath = Flux.range(0, 10_000)
                .doOnNext(i -> {
                    meter.clientEvent(app);
                    meter.delivered(app, 3);
                    meter.connectionOpened(app, 1 + i % 50);
                    meter.connectionClosed(app, i % 50);
                    meter.rejected(app);
                    meter.recordApiMessages(app, 1);
                })
                .then(meter.tryConsumeMessages(config, 1).then())
                .subscribeOn(Schedulers.parallel()); // BlockHound fails any blocking call here
        StepVerifier.create(hotPath).verifyComplete();
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(today(app))
                .containsEntry("client_events", 10_000L).containsEntry("deliveries", 30_000L)
                .containsEntry("api_messages", 10_001L).containsEntry("peak_connections", 50L));
    }

    private UsageMeter otherNode() {
        return new UsageMeter(databaseClient, transactions, Clock.systemUTC(), Duration.ofSeconds(10), "other-node-" + System.nanoTime());
    }

    private AppConfig config(AppId app) {
        return directory.findById(app).block(Duration.ofSeconds(5));
    }

    private static Map<String, Long> today(AppId app) throws Exception {
        Map<String, Long> row = new LinkedHashMap<>();
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(
                "select peak_connections, api_messages, client_events, deliveries, rejected from app_usage_daily where app_id = ? and day = ?")) {
            select.setLong(1, app.value());
            select.setObject(2, LocalDate.now(ZoneOffset.UTC));
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    for (String column : new String[] {"peak_connections", "api_messages", "client_events", "deliveries", "rejected"}) {
                        row.put(column, rows.getLong(column));
                    }
                }
            }
        }
        return row;
    }

    private static int nodeRows(AppId app, String node) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(
                "select count(*) from app_node_connections where app_id = ? and node_id = ?")) {
            select.setLong(1, app.value());
            select.setString(2, node);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
