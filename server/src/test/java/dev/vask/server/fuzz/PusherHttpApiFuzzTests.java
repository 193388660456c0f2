package dev.vask.server.fuzz;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.vask.platform.signature.RequestSigning;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated Pusher HTTP API requests: every method on every path of the API and paths beside them, query
 * strings with any mix of the signature's parameters, bodies of near-valid events and batches, JSON of every
 * shape and bytes that are not JSON. Half are correctly signed, so the generator reaches past the signature
 * into parsing, limits and publishing. No answer may be a 5xx, none may hang, nothing may be logged at ERROR.
 */
@AddLifecycleHook(FuzzBudget.class)
class PusherHttpApiFuzzTests {

    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final List<String> EVENT_FIELDS = List.of("name", "channel", "channels", "data", "socket_id", "info", "batch", "user_id");

    private final FuzzedVask vask = FuzzedVask.get();
    private static RawHttp http;

    /** A request as generated; {@code sign} asks for a correct signature over whatever else it holds. */
    record ApiRequest(String method, String path, Map<String, String> params, boolean sign, String contentType, byte[] body,
            String bodyKind) {

        @Override
        public String toString() {
            return method + " " + path + " " + params + (sign ? " signed" : "") + " [" + contentType + "] " + bodyKind + ": "
                    + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        }
    }

    @Property(tries = 30_000, seed = "612", shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void noRequestGetsA5xxHangsOrLogsAnError(@ForAll("requests") ApiRequest request) throws IOException {
        REQUESTS.incrementAndGet();
        if (http == null) {
            http = new RawHttp("127.0.0.1", vask.port, vask.timeout());
        }
        RawHttp.Response response = http.send(request.method, target(request), headers(request), request.body);
        if (response == null) {
            Statistics.label("status").collect("closed without an answer");
            // the server may refuse a request line or head it cannot parse by closing; it must still serve the next
            return;
        }
        Statistics.label("status").collect(response.status());
        assertThat(response.status()).as("%s\n→ %s", request, response.text()).isLessThan(500);
        if (response.status() >= 400 && response.body().length > 0 && response.headers().contains("application/json")) {
            assertThat(response.text()).as("an error body names the problem").contains("error").doesNotContain("Exception", "\tat ");
        }
        vask.assertNoErrorLogged();
    }

    @AfterProperty
    void closeConnection() throws IOException {
        if (http != null) {
            http.close();
            http = null;
        }
    }

    private static String target(ApiRequest request) {
        Map<String, String> params = new LinkedHashMap<>(request.params);
        if (request.sign) {
            params.put("auth_key", FuzzedVask.KEY);
            params.put("auth_timestamp", Long.toString(Instant.now().getEpochSecond()));
            params.put("auth_version", "1.0");
            if (request.body.length > 0) {
                params.put("body_md5", RequestSigning.md5Hex(request.body));
            }
            params.remove("auth_signature");
            params.put("auth_signature", RequestSigning.sign(FuzzedVask.SECRET, RequestSigning.stringToSign(request.method, request.path, params)));
        }
        if (params.isEmpty()) {
            return request.path;
        }
        return request.path + "?" + params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String headers(ApiRequest request) {
        return request.contentType.isEmpty() ? "" : "Content-Type: " + request.contentType + "\r\n";
    }

    @Provide
    Arbitrary<ApiRequest> requests() {
        Arbitrary<Map<String, String>> goodParams = Combinators.combine(Arbitraries.of("info", "filter_by_prefix", "INFO"),
                Arbitraries.of("user_count", "subscription_count", "cache", "user_count,subscription_count", "presence-", "private-", "",
                        "nope")).as(Map::entry).list().ofMaxSize(2).map(FuzzRequests::toMap);
        Arbitrary<Map<String, String>> anyParams = Combinators.combine(Arbitraries.of("auth_key", "AUTH_KEY", "auth_timestamp", "Auth_Timestamp",
                "auth_version", "body_md5", "BODY_MD5", "auth_signature", "info", "filter_by_prefix", "with_user_info", "x", "a=b", "",
                "auth_\u212Aey"), paramValue()).as(Map::entry).list().ofMaxSize(4).map(FuzzRequests::toMap);
        Arbitrary<Map<String, String>> params = Arbitraries.frequencyOf(Tuple.of(7, goodParams), Tuple.of(3, anyParams));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.of("", "text/plain", "application/json; charset=utf-8", "application/x-www-form-urlencoded",
                        "application/json; charset=latin1", "*/*", "garbage", "application/")));
        Arbitrary<String> oddMethod = Arbitraries.of("PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "GET", "POST");
        return Combinators.combine(path(), oddMethod, Arbitraries.integers().between(0, 9), params, Arbitraries.of(true, true, true, false),
                contentType, body())
                .as((p, odd, dice, q, sign, type, body) -> {
                    // mostly the method the path's route takes, so the request reaches its handler
                    String method = dice > 0 ? (p.contains("/channels") ? "GET" : "POST") : odd;
                    byte[] bytes = method.equals("GET") && dice > 1 ? new byte[0] : body.get2();
                    return new ApiRequest(method, p, q, sign, type, bytes, bytes.length == 0 ? "empty" : body.get1());
                });
    }

    private static Arbitrary<String> paramValue() {
        return Arbitraries.oneOf(Arbitraries.of("", "1.0", "2.0", "user_count", "subscription_count", "cache", "user_count,subscription_count",
                "presence-", "private-", "0", "-1", "100000000000000000", "9223372036854775808", FuzzedVask.KEY, "%zz", "a&b", "\u00e9",
                Long.toString(Instant.now().getEpochSecond())), Arbitraries.strings().ofMaxLength(30));
    }

    private static Arbitrary<String> path() {
        Arbitrary<String> app = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(FuzzedVask.APP_ID)), Tuple.of(3, Arbitraries.just(FuzzedVask.KEY)),
                Tuple.of(1, Arbitraries.of("0", "-1", "99999999999999999999", "%00", "..", "%2e%2e", "%2F", "app;x=1", "%C3%A9", "x".repeat(3000))));
        Arbitrary<String> channel = Arbitraries.of("public", "presence-room", "private-a", "cache-c", "private-encrypted-x", "bad%20name",
                "a%2Fb", "semi;colon", "%23server-to-user-ada", "%E2%82%AC", "", "x".repeat(300), "presence-cache-p", "%");
        Arbitrary<String> user = Arbitraries.of("ada", "", "bad%20id", "x".repeat(300), "a%2Fb", "%C3%A9", ";", "%");
        Arbitrary<String> tail = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of("/events", "/batch_events", "/channels")),
                Tuple.of(1, Arbitraries.of("", "/", "/unknown", "/events/", "/channels/")),
                Tuple.of(2, channel.map(c -> "/channels/" + c)), Tuple.of(1, channel.map(c -> "/channels/" + c + "/users")),
                Tuple.of(2, user.map(u -> "/users/" + u + "/events")), Tuple.of(1, user.map(u -> "/users/" + u + "/terminate_connections")));
        return Combinators.combine(app, tail).as((a, t) -> "/apps/" + a + t);
    }

    /** The body and what kind of body it is (for the statistics and the failure report). */
    private static Arbitrary<Tuple.Tuple2<String, byte[]>> body() {
        Arbitrary<String> channel = Arbitraries.of("\"public\"", "\"presence-room\"", "\"private-a\"", "\"cache-c\"", "\"bad name\"", "\"\"",
                "\"#server-to-user-ada\"", "null", "1", "[\"a\",\"b\"]", "[]", "\"" + "c".repeat(201) + "\"");
        Arbitrary<String> member = Arbitraries.oneOf(
                JsonJunk.scalar().map(v -> "\"name\":" + v),
                Arbitraries.of("\"name\":\"e\"", "\"name\":\"" + "n".repeat(201) + "\""),
                channel.map(c -> "\"channel\":" + c),
                channel.list().ofMaxSize(102).map(cs -> "\"channels\":[" + String.join(",", cs) + "]"),
                JsonJunk.value(EVENT_FIELDS, 3).map(v -> "\"data\":" + v),
                Arbitraries.strings().ofMaxLength(20_000).map(v -> "\"data\":" + JsonJunk.quote(v)),
                Arbitraries.of("\"socket_id\":\"1.2\"", "\"socket_id\":\"x\"", "\"socket_id\":12", "\"info\":\"user_count\"",
                        "\"info\":\"subscription_count,user_count\"", "\"info\":\"nope\"", "\"info\":[]", "\"data\":\"x\"", "\"data\":null"));
        Arbitrary<String> anyEvent = member.list().ofMaxSize(6).map(ms -> "{" + String.join(",", ms) + "}");
        Arbitrary<String> goodChannel = Arbitraries.of("public", "presence-room", "private-a", "cache-c", "private-encrypted-x", "feed.1",
                "presence-cache-p", "a-b_c=d@e,f.g;h");
        Arbitrary<String> likelyEvent = Combinators.combine(Arbitraries.of("e", "order.updated", "client-x", "pusher:x", "pusher_internal:y"),
                goodChannel.list().ofMinSize(1).ofMaxSize(3), Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200).map(JsonJunk::quote),
                        JsonJunk.value(EVENT_FIELDS, 2)), Arbitraries.of("", ",\"socket_id\":\"1.2\"", ",\"info\":\"subscription_count\"",
                        ",\"info\":\"user_count\""))
                .as((name, channels, data, extra) -> "{\"name\":" + JsonJunk.quote(name) + (channels.size() == 1
                        ? ",\"channel\":" + JsonJunk.quote(channels.getFirst())
                        : ",\"channels\":[" + String.join(",", channels.stream().map(JsonJunk::quote).toList()) + "]")
                        + ",\"data\":" + data + extra + "}");
        Arbitrary<String> event = Arbitraries.frequencyOf(Tuple.of(1, anyEvent), Tuple.of(1, likelyEvent));
        Arbitrary<String> batch = event.list().ofMaxSize(12).map(es -> "{\"batch\":[" + String.join(",", es) + "]}");
        return Arbitraries.frequencyOf(
                Tuple.of(6, event.map(e -> Tuple.of("event", e.getBytes(StandardCharsets.UTF_8)))),
                Tuple.of(2, batch.map(b -> Tuple.of("batch", b.getBytes(StandardCharsets.UTF_8)))),
                Tuple.of(2, JsonJunk.mutated(event).map(e -> Tuple.of("near-valid event", e.getBytes(StandardCharsets.UTF_8)))),
                Tuple.of(1, JsonJunk.value(EVENT_FIELDS, 4).map(v -> Tuple.of("any json", v.getBytes(StandardCharsets.UTF_8)))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> Tuple.of("bytes", b))),
                Tuple.of(1, Arbitraries.just(Tuple.of("empty", new byte[0]))));
    }

    @AfterContainer
    static void oraclesAfterTheWholeRun() throws Exception {
        FuzzedVask vask = FuzzedVask.get();
        System.out.println("Pusher HTTP API fuzz: " + REQUESTS.get() + " generated requests");
        vask.assertNoLeak();
        vask.assertStillServesANormalClient("after-http-api-fuzz");
    }
}
