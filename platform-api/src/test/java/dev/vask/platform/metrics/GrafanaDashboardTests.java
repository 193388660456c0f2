package dev.vask.platform.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vask.platform.CapacityTestServer;
import dev.vask.platform.pusherapi.PusherApiTestApps.TestApp;
import dev.vask.testing.sdk.Subscriber;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ops/grafana-vask.json queries only series that a running Vask serves, and shows every per-app and capacity
 * series there is: a renamed metric fails here instead of leaving an empty panel on someone's wall.
 */
class GrafanaDashboardTests extends CapacityTestServer {

    private static final Path DASHBOARD = Path.of("..", "docs", "ops", "grafana-vask.json");
    /** PromQL's functions, aggregations and keywords: the identifiers in a query that are not series. */
    private static final Set<String> PROMQL = Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase", "by", "without",
            "label_values", "histogram_quantile", "topk", "bottomk", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
            "offset", "clamp_min", "clamp_max", "abs", "delta", "deriv", "max_over_time", "min_over_time", "avg_over_time");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void everySeriesTheDashboardQueriesIsInARealScrapeAndEveryVaskFamilyIsShown() throws Exception {
        // some traffic, so that every series has been touched at least once
        TestApp app = newApp();
        try (Subscriber subscriber = Subscriber.connect(port, app.key()).subscribe("dash", "e")) {
            assertThat(sdk(app).trigger("dash", "e", Map.of()).getHttpStatus()).isEqualTo(200);
            subscriber.next();
        }
        String scrape = scrape();
        Set<String> served = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                Matcher name = IDENTIFIER.matcher(line);
                if (name.lookingAt()) {
                    served.add(name.group());
                }
            }
        }

        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        List<String> queries = new ArrayList<>();
        collectQueries(dashboard, queries);
        assertThat(queries).as("queries in the dashboard").hasSizeGreaterThan(10);
        Set<String> queried = new TreeSet<>();
        for (String query : queries) {
            queried.addAll(seriesIn(query));
        }
        assertThat(queried).as("series queried by the dashboard").isNotEmpty();
        assertThat(served).as("series served by a running Vask").containsAll(queried);

        Set<String> vaskFamilies = new TreeSet<>();
        for (String name : served) {
            if (name.startsWith("vask_app_") || name.startsWith("vask_capacity_")) {
                vaskFamilies.add(name);
            }
        }
        assertThat(queried).as("every per-app and capacity series has a panel").containsAll(vaskFamilies);
    }

    /** Every "expr" and variable query, wherever it sits in the dashboard. */
    private static void collectQueries(JsonNode node, List<String> queries) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if ((field.getKey().equals("expr") || field.getKey().equals("definition")) && field.getValue().isString()) {
                    queries.add(field.getValue().asString());
                }
                collectQueries(field.getValue(), queries);
            }
        }
        else if (node.isArray()) {
            node.forEach(child -> collectQueries(child, queries));
        }
    }

    /** The series names in a query: its identifiers, less label matchers, grouping labels, ranges and PromQL's words. */
    static Set<String> seriesIn(String query) {
        String bare = query.replaceAll("\\{[^}]*}", " ")           // label matchers
                .replaceAll("\\[[^]]*]", " ")                     // ranges
                .replaceAll("(by|without)\\s*\\([^)]*\\)", " ")   // grouping labels
                .replaceAll("\"[^\"]*\"", " ");                   // strings
        Set<String> series = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            if (!PROMQL.contains(name) && name.contains("_")) {
                series.add(name);
            }
        }
        // label_values(metric, label): the label is no series
        Matcher labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_]+)\\s*\\)").matcher(query);
        while (labelValues.find()) {
            series.remove(labelValues.group(2));
            series.add(labelValues.group(1));
        }
        return series;
    }

    @Test
    void theQueryParserFindsSeriesAndNothingElse() {
        assertThat(seriesIn("sum by (app, source) (rate(vask_app_messages_total{app=~\"$app\"}[$__rate_interval]))"))
                .containsExactly("vask_app_messages_total");
        assertThat(seriesIn("label_values(vask_app_connections, app)")).containsExactly("vask_app_connections");
        assertThat(seriesIn("max by (instance, resource) (vask_capacity_usage) / on(resource) group_left max(vask_capacity_threshold)"))
                .containsExactlyInAnyOrder("vask_capacity_usage", "vask_capacity_threshold");
    }
}
