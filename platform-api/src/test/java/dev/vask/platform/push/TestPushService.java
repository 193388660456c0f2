package dev.vask.platform.push;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A push service on loopback that behaves as browsers' push services do (RFC 8030, RFC 8292, RFC 8291), for the
 * tests: the test plays the browser, so {@link #subscribe} makes the UA key pair and auth secret and keeps the
 * private key. On {@code POST /push/{id}} it answers 404 for an unknown subscription, 410 for one it dropped
 * ({@link #expire}), 400 without TTL or with another content coding, 413 above 4096 bytes, 401 without a VAPID
 * header, 403 when {@code k} is not the key the subscription was made with or the JWT does not verify under it
 * (ES256 R‖S, {@code aud} = this service's origin, {@code exp} in the future and at most 24 h ahead, {@code sub}
 * mailto: or https:), 400 when the body does not decrypt; else it records the plaintext and answers 201.
 * Tests can script answers ({@link #failNext}) and slow it down ({@link #slow}).
 */
public final class TestPushService implements AutoCloseable {

    private static final Pattern VAPID = Pattern.compile("vapid t=([A-Za-z0-9_.-]+), k=([A-Za-z0-9_-]+=*)");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DisposableServer server;
    private final Map<String, Browser> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicLong delivered = new AtomicLong();
    private final boolean verifyAll;

    /** A subscription the test owns, as the browser would: its private key decrypts what the service receives. */
    public record Browser(String id, String endpoint, byte[] applicationServerKey, byte[] p256dh, byte[] auth, ECPrivateKey privateKey,
            BlockingQueue<Received> received, Queue<Scripted> script, Queue<Instant> attempts, AtomicReference<Boolean> expired) {

        /** {@code subscription.toJSON()} of a browser. */
        public String json() {
            return "{\"endpoint\":\"" + endpoint + "\",\"expirationTime\":null,\"keys\":{\"p256dh\":\"" + P256.base64url(p256dh)
                    + "\",\"auth\":\"" + P256.base64url(auth) + "\"}}";
        }

        public Received next() throws InterruptedException {
            Received message = received.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no push reached " + endpoint + " within 10 s");
            }
            return message;
        }
    }

    /** A push the service accepted: the decrypted payload and the request's headers. */
    public record Received(String payload, Map<String, String> headers, Instant at) {
    }

    public record Scripted(int status, @Nullable String retryAfter) {
    }

    public TestPushService() {
        this(true);
    }

    /** @param verifyAll false to verify and decrypt only every 64th push (the benchmark's load generator) */
    public TestPushService(boolean verifyAll) {
        this.verifyAll = verifyAll;
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/push/{id}", this::push))
                .bindNow();
    }

    public String origin() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A browser's pushManager.subscribe({applicationServerKey}). */
    public Browser subscribe(byte[] applicationServerKey) {
        KeyPair pair = P256.generate();
        byte[] auth = new byte[16];
        RANDOM.nextBytes(auth);
        String id = "s" + ids.incrementAndGet() + "-" + Long.toHexString(RANDOM.nextLong());
        Browser browser = new Browser(id, origin() + "/push/" + id, applicationServerKey.clone(), P256.encodePublic((ECPublicKey) pair.getPublic()),
                auth, (ECPrivateKey) pair.getPrivate(), new LinkedBlockingQueue<>(), new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(),
                new AtomicReference<>(false));
        subscriptions.put(id, browser);
        return browser;
    }

    /** The user revoked permission: later pushes get 410. */
    public void expire(Browser browser) {
        browser.expired().set(true);
    }

    /** The next push to this subscription is answered with this status (and Retry-After, when given). */
    public void failNext(Browser browser, int status, @Nullable String retryAfter) {
        browser.script().add(new Scripted(status, retryAfter));
    }

    /** Every answer waits this long. */
    public void slow(Duration wait) {
        delay.set(wait);
    }

    public long delivered() {
        return delivered.get();
    }

    private Mono<Void> push(HttpServerRequest request, HttpServerResponse response) {
        Browser browser = subscriptions.get(request.param("id"));
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    Answer answer = answer(browser, request.requestHeaders(), body);
                    Duration wait = delay.get();
                    Mono<Void> send = Mono.defer(() -> {
                        response.status(answer.status());
                        if (answer.retryAfter() != null) {
                            response.header(HttpHeaderNames.RETRY_AFTER, answer.retryAfter());
                        }
                        if (answer.status() == 201) {
                            response.header(HttpHeaderNames.LOCATION, origin() + "/message/" + ids.incrementAndGet());
                        }
                        return response.sendString(Mono.just(answer.text())).then();
                    });
                    return wait.isZero() ? send : Mono.delay(wait).then(send);
                });
    }

    private record Answer(int status, String text, @Nullable String retryAfter) {
    }

    private Answer answer(@Nullable Browser browser, HttpHeaders headers, byte[] body) {
        if (browser == null) {
            return new Answer(404, "no such subscription", null);
        }
        browser.attempts().add(Instant.now());
        if (browser.expired().get()) {
            return new Answer(410, "{\"reason\":\"Push subscription has unsubscribed or expired.\"}", null);
        }
        Scripted scripted = browser.script().poll();
        if (scripted != null) {
            return new Answer(scripted.status(), "scripted", scripted.retryAfter());
        }
        String ttl = headers.get("TTL");
        if (ttl == null || !ttl.matches("[0-9]+")) {
            return new Answer(400, "TTL header is missing or invalid", null);
        }
        if (!"aes128gcm".equals(headers.get(HttpHeaderNames.CONTENT_ENCODING))) {
            return new Answer(400, "Content-Encoding must be aes128gcm", null);
        }
        if (body.length > 4096) {
            return new Answer(413, "payload too large", null);
        }
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null) {
            return new Answer(401, "missing VAPID authorization", null);
        }
        boolean verify = verifyAll || delivered.get() % 64 == 0;
        if (verify) {
            String problem = vapidProblem(browser, authorization);
            if (problem != null) {
                return new Answer(403, problem, null);
            }
        }
        String payload = "";
        if (verify) {
            try {
                payload = new String(WebPushCrypto.decrypt(body, browser.privateKey(), browser.p256dh(), browser.auth()), StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException e) {
                return new Answer(400, "decryption failed: " + e.getMessage(), null);
            }
        }
        delivered.incrementAndGet();
        if (verifyAll) {
            Map<String, String> seen = new ConcurrentHashMap<>();
            headers.forEach(entry -> seen.put(entry.getKey().toLowerCase(java.util.Locale.ROOT), entry.getValue()));
            browser.received().add(new Received(payload, seen, Instant.now()));
        }
        return new Answer(201, "", null);
    }

    /** Null when the VAPID header is right for this subscription, else what is wrong (a push service's 403). */
    private @Nullable String vapidProblem(Browser browser, String authorization) {
        Matcher vapid = VAPID.matcher(authorization);
        if (!vapid.matches()) {
            return "Authorization is not 'vapid t=..., k=...'";
        }
        byte[] k = Base64.getUrlDecoder().decode(vapid.group(2));
        if (!java.security.MessageDigest.isEqual(k, browser.applicationServerKey())) {
            return "the key in the authorization header does not correspond to the key used to subscribe this user";
        }
        String[] token = vapid.group(1).split("\\.");
        if (token.length != 3) {
            return "the token is not a JWS";
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(token[0]));
            if (!"ES256".equals(header.path("alg").asString())) {
                return "alg must be ES256";
            }
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(P256.decodePublic(k));
            verifier.update((token[0] + "." + token[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(token[2]))) {
                return "bad signature";
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token[1]));
            long now = Instant.now().getEpochSecond();
            long exp = claims.path("exp").asLong(0);
            if (exp <= now || exp > now + 24 * 3600) {
                return "exp must be in the future and at most 24 h ahead";
            }
            if (!origin().equals(claims.path("aud").asString(""))) {
                return "aud must be " + origin();
            }
            String sub = claims.path("sub").asString("");
            if (!sub.startsWith("mailto:") && !sub.startsWith("https:")) {
                return "sub must be a mailto: or https: URL";
            }
            return null;
        }
        catch (Exception e) {
            return "invalid token: " + e;
        }
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
