package dev.vask.platform.signature;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.usage.UsageRecorder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Generated variants of correctly signed requests, as an attacker holding a captured signed URL would make
 * them: names in other cases, repeated names with fresh values, dropped and changed parameters, another body.
 * The property: a request is accepted only when the values the checks read are exactly the values that were
 * signed (and the signature is fresh and the body is the one signed), and then its handlers see those values.
 */
class SignedRequestVariantsPropertyTests {

    private static final String KEY = "variant-key";
    private static final String SECRET = "variant-secret-0123456789";
    private static final long NOW = 1_800_000_000L;
    private static final String FRESH = Long.toString(NOW - 5);
    private static final String CAPTURED = Long.toString(NOW - 3_600);
    private static final String BODY_A = "{\"name\":\"paid\",\"channel\":\"private-orders\",\"data\":\"{}\"}";
    private static final String BODY_B = "{\"name\":\"forged\",\"channel\":\"private-orders\",\"data\":\"{\\\"status\\\":\\\"refunded\\\"}\"}";
    private static final List<String> NAMES = List.of("auth_key", "auth_timestamp", "auth_version", "body_md5", "auth_signature", "info",
            "filter_by_prefix");

    private final InMemoryAppDirectory directory = new InMemoryAppDirectory();
    private final PusherApiAuthentication authentication = new PusherApiAuthentication(directory, UsageRecorder.NONE,
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), PusherApiProperties.defaults());

    SignedRequestVariantsPropertyTests() {
        directory.put(new AppConfig(new AppId(7), "variants", true, List.of(new AppCredential(KEY, SECRET)), AppFeatures.NONE,
                AppLimits.DEFAULTS));
    }

    /** What the owner of the secret signed. */
    record Signed(String method, String path, Map<String, String> params, String body, String signature) {
    }

    /** One parameter as sent: its name exactly as written (any case) and its value. */
    record Param(String name, String value) {
    }

    /** A request made from a signed one: the parameters as sent, and the body sent. */
    record Variant(Signed signed, List<Param> sent, String body) {

        String uri() {
            return signed.path + "?" + sent.stream()
                    .map(p -> URLEncoder.encode(p.name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.value, StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
        }
    }

    @Property(tries = 4000, seed = "20261206", shrinking = ShrinkingMode.FULL)
    @StatisticsReport(format = net.jqwik.api.statistics.Histogram.class)
    void aRequestIsAcceptedOnlyWhenTheValuesCheckedAreExactlyTheValuesSigned(@ForAll("variants") Variant variant) {
        Throwable refused = catchThrowable(() -> {
            AuthenticatedRequest accepted = authenticate(variant);
            // the handlers read these: they must be what was signed, nothing more, nothing less
            Map<String, String> seen = new HashMap<>(accepted.request().query().params());
            seen.remove(SignedQuery.SIGNATURE);
            assertThat(seen).isEqualTo(variant.signed.params);
            assertThat(new String(accepted.request().body(), StandardCharsets.UTF_8)).isEqualTo(variant.signed.body);
        });
        Expected expected = expected(variant);
        boolean forgery = expected != Expected.ACCEPTED && variant.sent.stream().anyMatch(p -> !p.name.equals(p.name.toLowerCase(Locale.ROOT)));
        Statistics.label("outcome").collect(expected);
        Statistics.label("case variants refused").collect(forgery);
        if (expected == Expected.ACCEPTED) {
            assertThat(refused).as("a request equal to what was signed, fresh, with the signed body").isNull();
        }
        else {
            assertThat(refused).as("expected %s for %s", expected, variant.uri()).isInstanceOf(PusherApiException.class);
            assertThat(((PusherApiException) refused).status().value()).as(refused.getMessage())
                    .isEqualTo(expected == Expected.AMBIGUOUS ? 400 : 401);
        }
    }

    enum Expected {
        ACCEPTED, AMBIGUOUS, UNAUTHORIZED
    }

    /** The model: parameter names compared without case; any clash is ambiguous; else equal-to-signed, fresh and same body. */
    private static Expected expected(Variant variant) {
        Map<String, String> normalised = new LinkedHashMap<>();
        for (Param param : variant.sent) {
            if (param.value.contains("&") || normalised.putIfAbsent(param.name.toLowerCase(Locale.ROOT), param.value) != null) {
                return Expected.AMBIGUOUS;
            }
        }
        String signature = normalised.remove(SignedQuery.SIGNATURE);
        boolean same = normalised.equals(variant.signed.params) && variant.signed.signature.equals(signature);
        boolean fresh = !CAPTURED.equals(variant.signed.params.get("auth_timestamp"));
        boolean sameBody = variant.body.equals(variant.signed.body);
        return same && fresh && sameBody ? Expected.ACCEPTED : Expected.UNAUTHORIZED;
    }

    @Provide
    Arbitrary<Variant> variants() {
        Arbitrary<Signed> signed = Combinators.combine(
                Arbitraries.of("POST", "GET"),
                Arbitraries.of(FRESH, CAPTURED),
                Arbitraries.of(BODY_A, BODY_B),
                Arbitraries.of("", "user_count", "subscription_count"),
                Arbitraries.of("", "presence-", "private-"))
                .as(SignedRequestVariantsPropertyTests::sign);
        return signed.flatMap(s -> Combinators.combine(mutations().list().ofMaxSize(5), Arbitraries.of(BODY_A, BODY_B))
                .as((mutations, body) -> {
                    List<Param> sent = new ArrayList<>();
                    s.params.forEach((name, value) -> sent.add(new Param(name, value)));
                    sent.add(new Param(SignedQuery.SIGNATURE, s.signature));
                    for (Mutation mutation : mutations) {
                        mutation.apply(sent, s);
                    }
                    return new Variant(s, sent, s.method.equals("GET") ? "" : body);
                }));
    }

    private static Signed sign(String method, String timestamp, String body, String info, String prefix) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("auth_key", KEY);
        params.put("auth_timestamp", timestamp);
        params.put("auth_version", "1.0");
        String path = method.equals("GET") ? "/apps/7/channels" : "/apps/7/events";
        String signedBody = method.equals("GET") ? "" : body;
        if (!signedBody.isEmpty()) {
            params.put("body_md5", RequestSigning.md5Hex(signedBody.getBytes(StandardCharsets.UTF_8)));
        }
        if (!info.isEmpty()) {
            params.put("info", info);
        }
        if (!prefix.isEmpty()) {
            params.put("filter_by_prefix", prefix);
        }
        String signature = RequestSigning.sign(SECRET, RequestSigning.stringToSign(method, path, params));
        return new Signed(method, path, Map.copyOf(params), signedBody, signature);
    }

    /** One change an attacker makes to the parameters of a captured request. */
    interface Mutation {
        void apply(List<Param> sent, Signed signed);
    }

    private static Arbitrary<Mutation> mutations() {
        Arbitrary<String> values = Arbitraries.of(FRESH, CAPTURED, "1.0", "2.0", KEY, "user_count", "presence-",
                RequestSigning.md5Hex(BODY_A.getBytes(StandardCharsets.UTF_8)), RequestSigning.md5Hex(BODY_B.getBytes(StandardCharsets.UTF_8)),
                "1.0&body_md5=" + RequestSigning.md5Hex(BODY_B.getBytes(StandardCharsets.UTF_8)), "");
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 20);
        Arbitrary<Mutation> recase = Combinators.combine(index, Arbitraries.longs()).as((i, bits) -> (sent, signed) -> {
            Param param = sent.get(i % sent.size());
            sent.set(i % sent.size(), new Param(recase(param.name, bits), param.value));
        });
        Arbitrary<Mutation> copy = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.longs(), values, index)
                .as((name, bits, value, at) -> (sent, signed) -> sent.add(at % (sent.size() + 1), new Param(recase(name, bits), value)));
        Arbitrary<Mutation> drop = index.map(i -> (sent, signed) -> {
            if (sent.size() > 1) {
                sent.remove(i % sent.size());
            }
        });
        Arbitrary<Mutation> change = Combinators.combine(index, values).as((i, value) -> (sent, signed) -> {
            Param param = sent.get(i % sent.size());
            sent.set(i % sent.size(), new Param(param.name, value));
        });
        Arbitrary<Mutation> swap = Combinators.combine(index, index).as((i, j) -> (sent, signed) ->
                java.util.Collections.swap(sent, i % sent.size(), j % sent.size()));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, recase), net.jqwik.api.Tuple.of(4, copy), net.jqwik.api.Tuple.of(1, drop),
                net.jqwik.api.Tuple.of(2, change), net.jqwik.api.Tuple.of(1, swap));
    }

    private static String recase(String name, long bits) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append((bits >>> (i % 64) & 1) == 1 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    private AuthenticatedRequest authenticate(Variant variant) {
        byte[] body = variant.body.getBytes(StandardCharsets.UTF_8);
        MockServerHttpRequest request = MockServerHttpRequest.method(HttpMethod.valueOf(variant.signed.method), URI.create(variant.uri()))
                .contentLength(body.length)
                .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
        ServerRequest serverRequest = ServerRequest.create(MockServerWebExchange.from(request), HandlerStrategies.withDefaults().messageReaders());
        return authentication.authenticate(serverRequest, "7").block(Duration.ofSeconds(5));
    }
}
