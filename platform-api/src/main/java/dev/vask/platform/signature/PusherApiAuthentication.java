package dev.vask.platform.signature;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.app.AppId;
import dev.vask.realtime.metrics.AppMetricsProperties;
import dev.vask.realtime.metrics.AppTrafficMeters;
import dev.vask.realtime.metrics.Refusal;
import dev.vask.realtime.reactive.Immediate;
import dev.vask.realtime.usage.UsageRecorder;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Authenticates Pusher HTTP API requests exactly as Pusher defines it: {@code auth_key} (any key of the
 * app that is not revoked; a key of app A never authorises app B), {@code auth_version=1.0},
 * {@code auth_timestamp} within ±600 s, {@code body_md5} of the raw body, and {@code auth_signature}
 * compared in constant time.
 *
 * <p>Everything the signature covers is in the request line, so it is checked before a byte of the body is
 * read: an unsigned or badly signed request costs no more than its headers, and its connection is closed
 * rather than drained. Only then is the body read, under the smaller of the platform's ceiling and what the
 * app's message limit needs, and its MD5 compared with the signed {@code body_md5}. Every value checked is
 * read from the one normalised {@link SignedQuery} the signature was computed over.
 *
 * <p>{@code /apps/{app}} may name the app by its numeric id (what the SDKs send) or by one of its keys
 * (what Vask's docs show); the app is found through {@code auth_key}, and the path must name that app.
 * Usage counts a refusal as the app's {@code rejected} only once the app's own credentials signed it.
 */
public final class PusherApiAuthentication {

    static final long TIMESTAMP_TOLERANCE_SECONDS = 600;
    /** Room for the envelope of the largest request (a batch of 10, 100 channel names each). */
    private static final int BODY_OVERHEAD = 128 * 1024;
    /** JSON escaping can double a data string; a batch holds 10 events. */
    private static final int BODY_PER_MESSAGE_BYTE = 20;
    /** Unix seconds have at most this many decimal digits; anything longer is out of any window. */
    private static final int TIMESTAMP_DIGITS = 12;
    /** The last second {@link Instant} prints with four year digits. */
    private static final long PRINTABLE_SECONDS = 253_402_300_799L;

    private final AppDirectory directory;
    private final UsageRecorder usage;
    private final AppTrafficMeters traffic;
    private final Clock clock;
    private final int maxBody;

    public PusherApiAuthentication(AppDirectory directory, UsageRecorder usage, Clock clock, PusherApiProperties properties) {
        this(directory, usage, new AppTrafficMeters(AppMetricsProperties.defaults(), reactor.core.scheduler.Schedulers.parallel()), clock,
                properties);
    }

    /** @param traffic where refusals are counted by reason, for metrics (usage counts them without one) */
    public PusherApiAuthentication(AppDirectory directory, UsageRecorder usage, AppTrafficMeters traffic, Clock clock,
            PusherApiProperties properties) {
        this.directory = directory;
        this.usage = usage;
        this.traffic = traffic;
        this.clock = clock;
        this.maxBody = (int) properties.maxBody().toBytes();
    }

    /** Verifies the request for the app named {@code appSegment} in its path. Errors are {@link PusherApiException}s. */
    public Mono<AuthenticatedRequest> authenticate(ServerRequest request, String appSegment) {
        return authenticate(request, appSegment, new AtomicBoolean());
    }

    /**
     * Authenticates the request for the app in its {@code {app}} path variable, then runs {@code work}.
     * Refusals after a valid signature count as the app's rejected usage; every error becomes the API's
     * error response, which closes the connection when the request's body was left unread.
     */
    public Mono<ServerResponse> respond(ServerRequest request, Function<AuthenticatedRequest, Mono<ServerResponse>> work) {
        AtomicBoolean bodyRead = new AtomicBoolean();
        return authenticate(request, request.pathVariable("app"), bodyRead)
                .flatMap(auth -> Mono.defer(() -> work.apply(auth))
                        .doOnError(PusherApiException.class, e -> refused(auth.app().id(), e)))
                .onErrorResume(error -> PusherApiErrors.render(error, announcesBody(request.headers().asHttpHeaders()) && !bodyRead.get()));
    }

    /**
     * Checks everything the request line carries, before any body: the key names the app in the path, the
     * version, the timestamp window, that a request with a body signs its MD5, the signature, and that the app
     * is enabled. Needs nothing of WebFlux, so any HTTP front end can share it.
     *
     * @param bodyAnnounced whether the headers announce a body (a positive Content-Length, or Transfer-Encoding)
     */
    public Mono<AppConfig> authenticateHead(String method, String rawPath, SignedQuery query, String appSegment, boolean bodyAnnounced) {
        String key = query.param("auth_key");
        if (key == null || key.isEmpty()) {
            return Mono.error(PusherApiException.unauthorized("Missing auth_key: sign the request as the Pusher SDKs do"));
        }
        Mono<AppConfig> found = directory.findByKey(key);
        if (Immediate.available(found)) { // a cached app: checked at once, no operator chain
            try {
                return Mono.just(checkHead(Immediate.get(found), key, method, rawPath, query, appSegment, bodyAnnounced));
            }
            catch (RuntimeException refused) {
                return Mono.error(refused);
            }
        }
        return found.map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .map(app -> checkHead(app.orElse(null), key, method, rawPath, query, appSegment, bodyAnnounced));
    }

    /** Everything about the request line once the key's app is known ({@code null}: no such active key). */
    private AppConfig checkHead(@Nullable AppConfig app, String key, String method, String rawPath, SignedQuery query, String appSegment,
            boolean bodyAnnounced) {
        // one answer whether the key is unknown or another app's: the API does not tell which keys exist
        if (app == null || !names(app, appSegment)) {
            throw PusherApiException.unauthorized("Invalid auth_key: " + printable(key) + " is not an active key of app "
                    + printable(decode(appSegment)));
        }
        checkSignature(app, method, rawPath, query, bodyAnnounced);
        if (!app.enabled()) {
            usage.rejected(app.id());
            traffic.of(app.id()).refused(Refusal.AUTH);
            throw new PusherApiException(HttpStatus.FORBIDDEN, "App " + app.id() + " is disabled");
        }
        return app;
    }

    /** Compares the body received with the signed {@code body_md5}. */
    public void checkBody(SignedQuery query, byte[] body) {
        String bodyMd5 = query.param("body_md5");
        if (bodyMd5 == null) {
            if (body.length > 0) {
                throw PusherApiException.unauthorized("Missing body_md5: requests with a body must sign its MD5");
            }
            return;
        }
        if (!RequestSigning.sameHex(RequestSigning.md5Hex(body), bodyMd5)) {
            throw PusherApiException.unauthorized("body_md5 does not match the body received");
        }
    }

    /** The largest body this app's requests may have: what its message limit needs, within the platform's ceiling. */
    public int bodyLimit(AppConfig app) {
        long needed = (long) app.limits().maxMessageBytes() * BODY_PER_MESSAGE_BYTE + BODY_OVERHEAD;
        return (int) Math.min(maxBody, needed);
    }

    private Mono<AuthenticatedRequest> authenticate(ServerRequest request, String appSegment, AtomicBoolean bodyRead) {
        return Mono.defer(() -> {
            SignedQuery query = SignedQuery.parse(request.uri().getRawQuery());
            String method = request.method().name();
            String rawPath = request.uri().getRawPath();
            HttpHeaders headers = request.headers().asHttpHeaders();
            boolean hasBody = request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD && announcesBody(headers);
            return authenticateHead(method, rawPath, query, appSegment, hasBody)
                    .flatMap(app -> readBody(request, hasBody, bodyLimit(app))
                            .doOnNext(body -> bodyRead.set(true))
                            .map(body -> {
                                checkBody(query, body);
                                return new AuthenticatedRequest(app, new PusherRequest(method, rawPath, query, body));
                            })
                            .doOnError(PusherApiException.class, e -> refused(app.id(), e)));
        });
    }

    /** A signed request of the app was refused: counted in usage, and in metrics by the reason its status tells. */
    public void refused(AppId app, PusherApiException refusal) {
        usage.rejected(app);
        traffic.of(app).refused(switch (refusal.status()) {
            case UNAUTHORIZED, FORBIDDEN -> Refusal.AUTH;
            case CONTENT_TOO_LARGE, TOO_MANY_REQUESTS -> Refusal.LIMIT;
            case SERVICE_UNAVAILABLE -> Refusal.OVERLOAD;
            default -> Refusal.INVALID;
        });
    }

    private void checkSignature(AppConfig app, String method, String rawPath, SignedQuery query, boolean bodyAnnounced) {
        if (!"1.0".equals(query.param("auth_version"))) {
            throw PusherApiException.unauthorized("auth_version must be 1.0");
        }
        String timestamp = query.param("auth_timestamp");
        if (timestamp == null || !isUnixSeconds(timestamp)) {
            throw PusherApiException.unauthorized("auth_timestamp must be the Unix time in seconds");
        }
        long seconds = Long.parseLong(timestamp);
        long now = clock.instant().getEpochSecond();
        if (seconds < now - TIMESTAMP_TOLERANCE_SECONDS || seconds > now + TIMESTAMP_TOLERANCE_SECONDS) {
            throw PusherApiException.unauthorized("Timestamp expired: Given timestamp (" + (seconds <= PRINTABLE_SECONDS
                    ? Instant.ofEpochSecond(seconds).toString() : timestamp) + ") not within " + TIMESTAMP_TOLERANCE_SECONDS
                    + "s of server time (" + Instant.ofEpochSecond(now) + ")");
        }
        if (bodyAnnounced && query.param("body_md5") == null) {
            throw PusherApiException.unauthorized("Missing body_md5: requests with a body must sign its MD5");
        }
        String signature = query.param(SignedQuery.SIGNATURE);
        if (signature == null || signature.isEmpty()) {
            throw PusherApiException.unauthorized("Missing auth_signature");
        }
        AppCredential credential = app.credential(query.param("auth_key")).orElseThrow();
        String asReceived = query.stringToSign(method, rawPath);
        if (RequestSigning.sameHex(RequestSigning.sign(credential.secret(), asReceived), signature)) {
            return;
        }
        // some HTTP stacks percent-encode channel names in the path after the SDK signed them unencoded
        String decodedPath = decode(rawPath);
        if (!decodedPath.equals(rawPath)
                && RequestSigning.sameHex(RequestSigning.sign(credential.secret(), query.stringToSign(method, decodedPath)), signature)) {
            return;
        }
        throw PusherApiException.unauthorized("Invalid signature: you should have sent HmacSHA256Hex(\""
                + asReceived.replace("\n", "\\n") + "\", your_secret_key), but you sent \"" + printable(signature) + "\"");
    }

    /** {@code [0-9]{1,12}}, without a regex: it is checked on every request. */
    private static boolean isUnixSeconds(String timestamp) {
        int length = timestamp.length();
        if (length == 0 || length > TIMESTAMP_DIGITS) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = timestamp.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean names(AppConfig app, String appSegment) {
        String segment = decode(appSegment);
        return segment.equals(app.id().toString()) || app.hasActiveKey(segment);
    }

    /** Whether the headers announce a request body (HTTP/1.1: a positive Content-Length, or any Transfer-Encoding). */
    static boolean announcesBody(HttpHeaders headers) {
        if (headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            return true;
        }
        long length = headers.getContentLength();
        return length > 0;
    }

    private static Mono<byte[]> readBody(ServerRequest request, boolean hasBody, int limit) {
        if (!hasBody) {
            return Mono.just(new byte[0]);
        }
        OptionalLong announced = request.headers().contentLength();
        if (announced.isPresent() && announced.getAsLong() > limit) {
            return Mono.error(tooLarge(limit));
        }
        return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), limit)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(limit));
    }

    /** Refuses with 415 unless the {@code Content-Type} header value is JSON, as every publish must be. */
    public static void requireJson(@Nullable String contentType) {
        if (!isJson(contentType)) {
            throw new PusherApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
    }

    /** Whether a {@code Content-Type} header value is JSON. */
    public static boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        if (contentType.equalsIgnoreCase("application/json")) {
            return true; // what the SDKs send, without parsing
        }
        try {
            return MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType));
        }
        catch (InvalidMediaTypeException unparseable) {
            return false;
        }
    }

    /** The refusal of a body longer than {@code limit} bytes. */
    public static PusherApiException tooLarge(int limit) {
        return new PusherApiException(HttpStatus.CONTENT_TOO_LARGE, "Request body is larger than " + limit + " bytes");
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return text;
        }
    }

    static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }
}
