package dev.vask.platform.pusherapi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.TestAccount;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An app's daily message quota holds exactly on a node when many backends publish at once: while requests
 * race each other, and the node's usage flushes (every 300 ms here) race them too, the node accepts
 * exactly the quota and refuses every message past it with 429, and the day's row in Postgres agrees.
 */
class DailyQuotaConcurrencyTests extends ManagementApiTestSupport {

    private static final int QUOTA = 1500;
    private static final int REQUESTS = 2000;
    private static final int PUBLISHERS = 24;
    private static final String EVENT = "{\"name\":\"e\",\"channel\":\"quota\",\"data\":\"x\"}";

    @LocalServerPort
    int port;

    @Autowired
    AppDirectory directory;

    @Test
    void manyPublishersAtOnceGetExactlyTheQuotaAcceptedAndEveryMessagePastItRefusedWith429() throws Exception {
        TestAccount owner = signUp();
        long app = owner.createApp("Quota under load");
        owner.api().patch().uri("/api/v1/apps/{app}", app).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("limits", Map.of("maxMessagesPerDay", QUOTA))).exchange().expectStatus().isOk();
        Map<?, ?> credentials = owner.createKey(app);
        String key = (String) credentials.get("key");
        String secret = (String) credentials.get("secret");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            var config = directory.findByKey(key).block(Duration.ofSeconds(5));
            return config != null && Long.valueOf(QUOTA).equals(config.limits().maxMessagesPerDay());
        });

        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                running.add(publishers.submit(() -> {
                    SignedRequests requests = new SignedRequests(port);
                    start.await();
                    while (next.getAndIncrement() < REQUESTS) {
                        int status = requests.send("POST", "/apps/" + app + "/events", Map.of(), EVENT, key, secret).status();
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> publisher : running) {
                publisher.get();
            }
        }
        finally {
            publishers.shutdown();
        }

        Map<Integer, Integer> counted = new TreeMap<>();
        statuses.forEach((status, count) -> counted.put(status, count.get()));
        assertThat(counted).isEqualTo(Map.of(200, QUOTA, 429, REQUESTS - QUOTA));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(today(new AppId(app)))
                .isEqualTo(Map.of("api_messages", (long) QUOTA, "rejected", (long) (REQUESTS - QUOTA))));
    }

    private static Map<String, Long> today(AppId app) throws Exception {
        Map<String, Long> row = new TreeMap<>();
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(
                "select api_messages, rejected from app_usage_daily where app_id = ? and day = ?")) {
            select.setLong(1, app.value());
            select.setObject(2, LocalDate.now(ZoneOffset.UTC));
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    row.put("api_messages", rows.getLong("api_messages"));
                    row.put("rejected", rows.getLong("rejected"));
                }
            }
        }
        return row;
    }
}
