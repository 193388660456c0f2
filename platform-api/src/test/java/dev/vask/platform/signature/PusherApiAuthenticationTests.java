package dev.vask.platform.signature;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import dev.vask.realtime.app.AppChange;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppFeatures;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.app.AppLimits;
import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.reactive.Immediate;
import dev.vask.realtime.usage.UsageRecorder;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The HTTP signature vectors of shared/reference/pusher-protocol.md §10 (Pusher's documented example). */
class PusherApiAuthenticationTests {

    private static final String KEY = "278d425bdf160c739803";
    private static final long TIMESTAMP = 1353088179;
    private final InMemoryAppDirectory directory = new InMemoryAppDirectory();
    private final PusherApiAuthentication authentication = new PusherApiAuthentication(directory, UsageRecorder.NONE,
            Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + 30), ZoneOffset.UTC), PusherApiProperties.defaults());

    PusherApiAuthenticationTests() {
        directory.put(new AppConfig(new AppId(3), "docs", true, List.of(new AppCredential(KEY, "7ad3773142a6692b25b8")),
                AppFeatures.NONE, AppLimits.DEFAULTS));
    }

    @Test
    void stringToSignAndSignatureMatchTheDocumentedPostExample() {
        String toSign = RequestSigning.stringToSign("POST", "/apps/3/events", Map.of("auth_key", KEY, "auth_timestamp", "1353088179",
                "auth_version", "1.0", "body_md5", "ec365a775a4cd0599faeb73354201b6f", "auth_signature", "ignored"));
        assertThat(toSign).isEqualTo("POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f");
        assertThat(RequestSigning.sign("7ad3773142a6692b25b8", toSign)).isEqualTo("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c");
        assertThat(RequestSigning.md5Hex("{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("ec365a775a4cd0599faeb73354201b6f");
    }

    @Test
    void documentedPostRequestAuthenticates() {
        String body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
        AuthenticatedRequest request = authenticate(HttpMethod.POST, "/apps/3/events?auth_key=278d425bdf160c739803&auth_timestamp=1353088179"
                + "&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c", body);
        assertThat(request.app().id()).isEqualTo(new AppId(3));
    }

    @Test
    void documentedGetRequestsAuthenticateEvenWithAnEncodedComma() {
        authenticate(HttpMethod.GET, "/apps/3/channels?auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&filter_by_prefix=presence-&info=user_count&auth_signature=16819168891cb5dfd72b5c7a5d3d602605b26c6ba1930033b5e2eeeb65010291", "");
        authenticate(HttpMethod.GET, "/apps/3/channels/presence-foobar?auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&info=user_count%2Csubscription_count&auth_signature=377ee9260ea002a70c0d40cd887d55cb36db9f7f821297f5efacbcce66be356d", "");
    }

    @Test
    void documentedTerminateRequestAuthenticates() {
        authenticate(HttpMethod.POST, "/apps/3/users/42/terminate_connections?auth_key=278d425bdf160c739803&auth_timestamp=1353088179"
                + "&auth_version=1.0&body_md5=99914b932bd37a50b983c5e7c90ae93b&auth_signature=2829710742ff5f799010258297d09016e2366257e3e954039eeda349073a2bcf", "{}");
    }

    @Test
    void aChangedBodyParameterOrPathFailsTheSignature() {
        String query = "?auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f"
                + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c";
        String body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
        assertThatThrownBy(() -> authenticate(HttpMethod.POST, "/apps/3/events" + query, body.replace("foo", "bar")))
                .hasMessage("body_md5 does not match the body received");
        assertThatThrownBy(() -> authenticate(HttpMethod.POST, "/apps/3/batch_events" + query, body))
                .hasMessageStartingWith("Invalid signature: you should have sent HmacSHA256Hex(\"POST\\n/apps/3/batch_events\\n");
        assertThatThrownBy(() -> authenticate(HttpMethod.POST, "/apps/3/events" + query + "&extra=1", body))
                .hasMessageStartingWith("Invalid signature");
    }

    @Test
    void upperCaseCopiesOfSignedParametersAreRefusedBeforeAnythingIsChecked() {
        String body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
        String signed = "/apps/3/events?auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&body_md5=ec365a775a4cd0599faeb73354201b6f&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c";
        assertThatThrownBy(() -> authenticate(HttpMethod.POST, signed + "&AUTH_TIMESTAMP=1353088179", body))
                .isInstanceOfSatisfying(PusherApiException.class, e -> assertThat(e.status().value()).isEqualTo(400))
                .hasMessage("Duplicate query parameter: auth_timestamp (names are compared without regard to case)");
        assertThatThrownBy(() -> authenticate(HttpMethod.POST, signed.replace("body_md5", "Body_MD5") + "&body_md5=x", body))
                .hasMessageStartingWith("Duplicate query parameter: body_md5");
        // one upper-case name alone is the same parameter: it is signed lower-cased, as the SDKs sign
        assertThat(authenticate(HttpMethod.POST, signed.replace("auth_timestamp", "AUTH_TIMESTAMP"), body).request().param("auth_timestamp"))
                .isEqualTo("1353088179");
    }

    @Test
    void namesThatCouldReadAsAnotherParameterAreRefused() {
        String query = "/apps/3/channels?auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_signature=x";
        assertThatThrownBy(() -> authenticate(HttpMethod.GET, query + "&auth_version=1.0%26info%3Duser_count", ""))
                .hasMessage("Query parameter auth_version may not contain '&'");
        assertThatThrownBy(() -> authenticate(HttpMethod.GET, query + "&auth_version=1.0&info%3Dx=y", ""))
                .hasMessageStartingWith("Invalid query parameter name info=x");
        // the Kelvin sign lower-cases to 'k' in Java: such a name must not become auth_key
        assertThatThrownBy(() -> authenticate(HttpMethod.GET, query + "&auth_version=1.0&auth_%E2%84%AAey=x", ""))
                .hasMessageStartingWith("Invalid query parameter name");
    }

    @Test
    void timestampsOutOfAnyRangeAreA401NotAnError() {
        for (String timestamp : new String[] {"100000000000000000", "-9223372036854775808", "9223372036854775807", "1e9", " 1353088179",
                "+1353088179", "99999999999"}) {
            assertThatThrownBy(() -> authenticate(HttpMethod.GET, "/apps/3/channels?auth_key=278d425bdf160c739803&auth_version=1.0"
                    + "&auth_timestamp=" + java.net.URLEncoder.encode(timestamp, StandardCharsets.UTF_8) + "&auth_signature=x", ""))
                    .as(timestamp)
                    .isInstanceOfSatisfying(PusherApiException.class, e -> assertThat(e.status().value()).isEqualTo(401))
                    .hasMessageMatching("auth_timestamp must be the Unix time in seconds|Timestamp expired: .*");
        }
    }

    @Test
    void anUnknownKeyAndAnotherAppsKeyGetTheSameAnswer() {
        directory.put(new AppConfig(new AppId(4), "other", true, List.of(new AppCredential("other-key", "other-secret")),
                AppFeatures.NONE, AppLimits.DEFAULTS));
        String query = "?auth_timestamp=1353088179&auth_version=1.0&auth_signature=x&auth_key=";
        assertThatThrownBy(() -> authenticate(HttpMethod.GET, "/apps/3/channels" + query + "other-key", ""))
                .hasMessage("Invalid auth_key: other-key is not an active key of app 3");
        assertThatThrownBy(() -> authenticate(HttpMethod.GET, "/apps/3/channels" + query + "no-such-key", ""))
                .hasMessage("Invalid auth_key: no-such-key is not an active key of app 3");
    }

    @Test
    void theBodyLimitIsThePlatformCeilingWhateverTheAppAllows() {
        AppConfig large = new AppConfig(new AppId(5), "large", true, List.of(new AppCredential("large-key", "large-secret")),
                AppFeatures.NONE, new AppLimits(null, 1024 * 1024, 10, 100, null));
        PusherApiAuthentication small = new PusherApiAuthentication(directory, UsageRecorder.NONE, Clock.systemUTC(),
                new PusherApiProperties(org.springframework.util.unit.DataSize.ofMegabytes(1)));
        assertThat(small.bodyLimit(large)).isEqualTo(1024 * 1024);
        assertThat(authentication.bodyLimit(large)).isEqualTo(16 * 1024 * 1024);
        assertThat(authentication.bodyLimit(directory.findByKey(KEY).block())).isEqualTo(10 * 1024 * 20 + 128 * 1024);
    }

    @Test
    void aCachedAppsRequestLineIsCheckedAtOnceWithTheSameAnswersAsWhenTheDirectoryMustBeAsked() {
        String signed = "auth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0&body_md5=ec365a775a4cd0599faeb73354201b6f"
                + "&auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c";
        AppDirectory waiting = new AppDirectory() { // a directory that must go to its database: nothing to read at once
            @Override
            public Mono<AppConfig> findByKey(String key) {
                return Mono.defer(() -> directory.findByKey(key)).publishOn(Schedulers.parallel());
            }

            @Override
            public Mono<AppConfig> findById(AppId id) {
                return directory.findById(id);
            }

            @Override
            public Flux<AppChange> changes() {
                return Flux.never();
            }
        };
        PusherApiAuthentication asking = new PusherApiAuthentication(waiting, UsageRecorder.NONE,
                Clock.fixed(Instant.ofEpochSecond(TIMESTAMP + 30), ZoneOffset.UTC), PusherApiProperties.defaults());

        Mono<AppConfig> atOnce = authentication.authenticateHead("POST", "/apps/3/events", SignedQuery.parse(signed), "3", true);
        assertThat(Immediate.available(atOnce)).isTrue();
        assertThat(Immediate.get(atOnce).id()).isEqualTo(new AppId(3));
        Mono<AppConfig> asked = asking.authenticateHead("POST", "/apps/3/events", SignedQuery.parse(signed), "3", true);
        assertThat(Immediate.available(asked)).isFalse();
        assertThat(asked.block(Duration.ofSeconds(5)).id()).isEqualTo(new AppId(3));

        for (String refused : List.of(signed.replace("auth_signature=da", "auth_signature=db"), signed.replace("278d425bdf160c739803", "unknown-key"),
                signed.replace("auth_version=1.0", "auth_version=2.0"))) {
            Mono<AppConfig> refusedAtOnce = authentication.authenticateHead("POST", "/apps/3/events", SignedQuery.parse(refused), "3", true);
            assertThat(Immediate.available(refusedAtOnce)).isTrue();
            String message = catchThrowableOfType(PusherApiException.class, () -> Immediate.get(refusedAtOnce)).getMessage();
            assertThatThrownBy(() -> asking.authenticateHead("POST", "/apps/3/events", SignedQuery.parse(refused), "3", true).block(Duration.ofSeconds(5)))
                    .isInstanceOf(PusherApiException.class).hasMessage(message);
        }
    }

    private AuthenticatedRequest authenticate(HttpMethod method, String uri, String body) {
        MockServerHttpRequest request = MockServerHttpRequest.method(method, java.net.URI.create(uri))
                .contentLength(body.getBytes(StandardCharsets.UTF_8).length)
                .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body.getBytes(StandardCharsets.UTF_8))));
        ServerRequest serverRequest = ServerRequest.create(MockServerWebExchange.from(request), HandlerStrategies.withDefaults().messageReaders());
        String app = uri.substring("/apps/".length(), uri.indexOf('/', "/apps/".length()));
        return authentication.authenticate(serverRequest, app).block(Duration.ofSeconds(5));
    }
}
