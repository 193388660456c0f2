package dev.vask.server.fuzz;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated management API requests: every operation the served OpenAPI document lists (so new endpoints are
 * fuzzed the day they appear), with path ids of the caller's own tenant and app or of nothing at all, and JSON
 * bodies built from the document's own field names holding values of every wrong type, nulls, numbers beyond
 * any range, and nesting thousands deep. No answer may be a 5xx or a stack trace, none may hang, nothing may be
 * logged at ERROR.
 */
@AddLifecycleHook(FuzzBudget.class)
class ManagementApiFuzzTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    private static Setup setup;
    private static RawHttp http;

    private final FuzzedVask vask = FuzzedVask.get();

    /** What the fuzzer works with: a bearer token, its own tenant, app and key, and the API's operations and field names. */
    record Setup(String token, String tenant, String app, String key, List<Operation> operations, List<String> fields) {
    }

    record Operation(String method, String path) {
    }

    record ApiRequest(String method, String path, String auth, String contentType, byte[] body) {

        @Override
        public String toString() {
            return method + " " + path + " [" + auth + ", " + contentType + "] "
                    + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        }
    }

    @Property(tries = 20_000, seed = "2612", shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void noRequestGetsA5xxHangsOrLogsAnError(@ForAll("requests") ApiRequest request) throws IOException {
        REQUESTS.incrementAndGet();
        if (http == null) {
            http = new RawHttp("127.0.0.1", vask.port, vask.timeout());
        }
        String headers = (request.auth.isEmpty() ? "" : "Authorization: " + request.auth + "\r\n")
                + (request.contentType.isEmpty() ? "" : "Content-Type: " + request.contentType + "\r\n");
        RawHttp.Response response = http.send(request.method, request.path, headers, request.body);
        if (response == null) {
            Statistics.label("status").collect("closed without an answer");
            return;
        }
        Statistics.label("status").collect(response.status());
        if (response.status() == 401) {
            Statistics.label("refused as unauthenticated").collect(request.auth.startsWith("Bearer vask_pat_") && request.auth.length() < 100
                    ? request.method + " " + request.path.replaceAll("/[0-9]+", "/N") : "a bad or missing credential");
        }
        assertThat(response.status()).as("%s\n→ %s", request, response.text()).isLessThan(500);
        assertThat(response.text()).as("no stack trace in %s", request).doesNotContain("\tat ", "Exception:");
        vask.assertNoErrorLogged();
    }

    @Provide
    Arbitrary<ApiRequest> requests() {
        Setup s = setup();
        Arbitrary<String> auth = Arbitraries.frequencyOf(Tuple.of(18, Arbitraries.just("Bearer " + s.token)),
                Tuple.of(1, Arbitraries.of("", "Bearer ", "Bearer vask_pat_nope", "Basic YTpi", "Bearer " + "x".repeat(5000))));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.of("", "text/plain", "application/json; charset=utf-16", "application/xml", "multipart/form-data")));
        Arbitrary<String> value = JsonJunk.value(s.fields, 3);
        Arbitrary<String> object = Combinators.combine(Arbitraries.of(s.fields), value).as((k, v) -> JsonJunk.quote(k) + ":" + v)
                .list().ofMaxSize(6).map(ms -> "{" + String.join(",", ms) + "}");
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(
                Tuple.of(8, object.map(o -> o.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(2, JsonJunk.mutated(object).map(o -> o.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, JsonJunk.deeplyNested().map(o -> o.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, value.map(o -> o.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                Tuple.of(1, Arbitraries.just(new byte[0])));
        Arbitrary<String> query = Combinators.combine(Arbitraries.of("limit", "days", "from", "to", "before", "cursor", "x"),
                Arbitraries.of("1", "0", "-1", "abc", "1e9", "99999999999999999999", "2026-12-06", "", "%zz"))
                .as((k, v) -> k + "=" + v).list().ofMaxSize(2).map(ps -> ps.isEmpty() ? "" : "?" + String.join("&", ps));
        Arbitrary<Operation> operation = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(s.operations)),
                Tuple.of(1, Arbitraries.of(new Operation("GET", "/api/v1/nowhere"), new Operation("PUT", "/api/v1/apps/{appId}"),
                        new Operation("TRACE", "/api/v1/apps"), new Operation("POST", "/api/v1"), new Operation("GET", "/api/v1/apps/{appId}/x"))));
        return Combinators.combine(operation, Arbitraries.longs(), auth, contentType, body, query)
                .as((op, seed, a, type, b, q) -> new ApiRequest(op.method, fill(op.path, seed, s) + q, a,
                        op.method.equals("GET") || op.method.equals("DELETE") ? (seed % 4 == 0 ? type : "") : type,
                        op.method.equals("GET") && seed % 3 != 0 ? new byte[0] : b));
    }

    /** Fills each {@code {parameter}} with the fuzzer's own resource (mostly) or with an id that names nothing. */
    private static String fill(String template, long seed, Setup s) {
        Matcher matcher = PARAMETER.matcher(template);
        StringBuilder out = new StringBuilder();
        long bits = seed;
        while (matcher.find()) {
            String name = matcher.group(1).toLowerCase(java.util.Locale.ROOT);
            boolean own = (bits & 3) != 0;
            bits >>>= 2;
            String strange = List.of("0", "-1", "abc", "99999999999999999999", "1e3", "%00", "%2F", "x".repeat(300), "1.5", "%20",
                    "9007199254740993", "%C3%A9").get((int) Math.floorMod(bits, 12));
            bits >>>= 4;
            String own_ = name.contains("tenant") ? s.tenant : name.contains("app") ? s.app : name.contains("key") ? s.key : strange;
            matcher.appendReplacement(out, Matcher.quoteReplacement(own ? own_ : strange));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static synchronized Setup setup() {
        if (setup == null) {
            try {
                setup = createSetup(FuzzedVask.get().port);
            }
            catch (Exception e) {
                throw new IllegalStateException("could not set up the management API fuzzer", e);
            }
        }
        return setup;
    }

    private static Setup createSetup(int port) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String base = "http://127.0.0.1:" + port;
        JsonNode session = call(browser, "POST", base + "/api/v1/session", null, null,
                "{\"email\":\"" + FuzzedVask.ADMIN_EMAIL + "\",\"password\":\"" + FuzzedVask.ADMIN_PASSWORD + "\"}");
        String csrf = session.get("csrfToken").asString();
        String token = call(browser, "POST", base + "/api/v1/account/tokens", null, csrf,
                "{\"name\":\"fuzz\",\"scopes\":[\"read\",\"write\"]}").get("token").asString();
        HttpClient client = HttpClient.newHttpClient();
        String tenant = call(client, "POST", base + "/api/v1/tenants", token, null, "{\"name\":\"Fuzzed\"}").get("id").asString();
        String app = call(client, "POST", base + "/api/v1/tenants/" + tenant + "/apps", token, null, "{\"name\":\"Fuzzed app\"}").get("id").asString();
        String key = call(client, "POST", base + "/api/v1/apps/" + app + "/keys", token, null, "{}").get("key").asString();
        JsonNode document = call(client, "GET", base + "/api/v1/openapi.json", null, null, null);
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                String verb = method.getKey().toUpperCase(java.util.Locale.ROOT);
                // signing out or changing the password would end the fuzzer's own credentials, not test anything new
                if (!(verb.equals("DELETE") && path.getKey().equals("/api/v1/session")) && !path.getKey().endsWith("/password")) {
                    operations.add(new Operation(verb, path.getKey()));
                }
            }
        }
        TreeSet<String> fields = new TreeSet<>(List.of("name", "email", "password", "role", "limits", "enabled", "features", "scopes",
                "expiresAt", "key"));
        collectFieldNames(document.get("components"), fields);
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(10);
        return new Setup(token, tenant, app, key, List.copyOf(operations), List.copyOf(fields));
    }

    private static void collectFieldNames(JsonNode node, TreeSet<String> into) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()) {
                properties.propertyNames().forEach(into::add);
            }
            for (Iterator<JsonNode> children = node.values().iterator(); children.hasNext();) {
                collectFieldNames(children.next(), into);
            }
        }
        else if (node.isArray()) {
            node.values().forEach(child -> collectFieldNames(child, into));
        }
    }

    private static JsonNode call(HttpClient client, String method, String url, String token, String csrf, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (csrf != null) {
            request.header("X-XSRF-TOKEN", csrf);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + url + " → " + response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    @AfterContainer
    static void oraclesAfterTheWholeRun() throws Exception {
        if (http != null) {
            http.close();
        }
        FuzzedVask vask = FuzzedVask.get();
        System.out.println("Management API fuzz: " + REQUESTS.get() + " generated requests");
        vask.assertNoLeak();
        vask.assertStillServesANormalClient("after-management-fuzz");
    }
}
