package dev.vask.platform.signature;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.app.AppCredential;
import dev.vask.realtime.usage.UsageRecorder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Authenticates Pusher HTTP API requests exactly as Pusher defines it: {@code auth_key} (any key of the
 * app that is not revoked; a key of app A never authorises app B), {@code auth_version=1.0},
 * {@code auth_timestamp} within ±600 s, {@code body_md5} of the raw body, and {@code auth_signature}
 * compared in constant time. The body is read with a size limit, so an oversize body is refused while
 * it arrives, not after megabytes are buffered.
 *
 * <p>{@code /apps/{app}} may name the app by its numeric id (what the SDKs send) or by one of its keys
 * (what Vask's docs show); the app is found through {@code auth_key}, and the path must name that app.
 */
public final class PusherApiAuthentication {

    static final long TIMESTAMP_TOLERANCE_SECONDS = 600;
    /** Room for the envelope of the largest request (a batch of 10, 100 channel names each). */
    private static final int BODY_OVERHEAD = 128 * 1024;
    /** JSON escaping can double a data string; a batch holds 10 events. */
    private static final int BODY_PER_MESSAGE_BYTE = 20;

    private final dev.vask.realtime.app.AppDirectory directory;
    private final UsageRecorder usage;
    private final Clock clock;

    public PusherApiAuthentication(dev.vask.realtime.app.AppDirectory directory, UsageRecorder usage, Clock clock) {
        this.directory = directory;
        this.usage = usage;
        this.clock = clock;
    }

    /** Verifies the request for the app named {@code appSegment} in its path. Errors are {@link PusherApiException}s. */
    public Mono<AuthenticatedRequest> authenticate(ServerRequest request, String appSegment) {
        return Mono.defer(() -> {
            Map<String, String> query = PusherRequest.query(request.uri().getRawQuery());
            String key = query.get("auth_key");
            if (key == null || key.isEmpty()) {
                throw PusherApiException.unauthorized("Missing auth_key: sign the request as the Pusher SDKs do");
            }
            return directory.findByKey(key)
                    .switchIfEmpty(Mono.error(() -> PusherApiException.unauthorized("Unknown auth_key " + printable(key))))
                    .flatMap(app -> {
                        if (!names(app, appSegment)) {
                            throw PusherApiException.unauthorized("auth_key " + printable(key) + " does not belong to app " + printable(decode(appSegment)));
                        }
                        return readBody(request, app).map(body -> verify(app, new PusherRequest(request.method().name(),
                                request.uri().getRawPath(), query, body)));
                    });
        });
    }

    /**
     * Authenticates the request for the app in its {@code {app}} path variable, then runs {@code work}.
     * Refusals of a known app count as rejected usage; every error becomes the API's error response.
     */
    public Mono<ServerResponse> respond(ServerRequest request, Function<AuthenticatedRequest, Mono<ServerResponse>> work) {
        return authenticate(request, request.pathVariable("app"))
                .flatMap(auth -> Mono.defer(() -> work.apply(auth))
                        .doOnError(PusherApiException.class, e -> usage.rejected(auth.app().id())))
                .onErrorResume(PusherApiErrors::render);
    }

    private AuthenticatedRequest verify(AppConfig app, PusherRequest request) {
        try {
            checkSignature(app, request);
        }
        catch (PusherApiException e) {
            usage.rejected(app.id());
            throw e;
        }
        if (!app.enabled()) {
            usage.rejected(app.id());
            throw new PusherApiException(HttpStatus.FORBIDDEN, "App " + app.id() + " is disabled");
        }
        return new AuthenticatedRequest(app, request);
    }

    private void checkSignature(AppConfig app, PusherRequest request) {
        String version = request.param("auth_version");
        if (!"1.0".equals(version)) {
            throw PusherApiException.unauthorized("auth_version must be 1.0");
        }
        String timestamp = request.param("auth_timestamp");
        long seconds;
        try {
            seconds = Long.parseLong(timestamp == null ? "" : timestamp);
        }
        catch (NumberFormatException e) {
            throw PusherApiException.unauthorized("auth_timestamp must be the Unix time in seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > TIMESTAMP_TOLERANCE_SECONDS) {
            throw PusherApiException.unauthorized("Timestamp expired: Given timestamp (" + Instant.ofEpochSecond(seconds)
                    + ") not within " + TIMESTAMP_TOLERANCE_SECONDS + "s of server time (" + Instant.ofEpochSecond(now) + ")");
        }
        String bodyMd5 = request.param("body_md5");
        if (request.body().length > 0 || bodyMd5 != null) {
            String actual = RequestSigning.md5Hex(request.body());
            if (bodyMd5 == null) {
                throw PusherApiException.unauthorized("Missing body_md5: requests with a body must sign its MD5");
            }
            if (!RequestSigning.sameHex(actual, bodyMd5)) {
                throw PusherApiException.unauthorized("body_md5 does not match the body received");
            }
        }
        String signature = request.param("auth_signature");
        if (signature == null || signature.isEmpty()) {
            throw PusherApiException.unauthorized("Missing auth_signature");
        }
        AppCredential credential = app.credential(request.param("auth_key")).orElseThrow();
        String asReceived = RequestSigning.stringToSign(request.method(), request.rawPath(), request.query());
        if (RequestSigning.sameHex(RequestSigning.sign(credential.secret(), asReceived), signature)) {
            return;
        }
        // some HTTP stacks percent-encode channel names in the path after the SDK signed them unencoded
        String decodedPath = decode(request.rawPath());
        if (!decodedPath.equals(request.rawPath())) {
            String decoded = RequestSigning.stringToSign(request.method(), decodedPath, request.query());
            if (RequestSigning.sameHex(RequestSigning.sign(credential.secret(), decoded), signature)) {
                return;
            }
        }
        throw PusherApiException.unauthorized("Invalid signature: you should have sent HmacSHA256Hex(\""
                + asReceived.replace("\n", "\\n") + "\", your_secret_key), but you sent \"" + printable(signature) + "\"");
    }

    private static boolean names(AppConfig app, String appSegment) {
        String segment = decode(appSegment);
        return segment.equals(app.id().toString()) || app.hasActiveKey(segment);
    }

    private static Mono<byte[]> readBody(ServerRequest request, AppConfig app) {
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            return Mono.just(new byte[0]);
        }
        int limit = (int) Math.min(Integer.MAX_VALUE, (long) app.limits().maxMessageBytes() * BODY_PER_MESSAGE_BYTE + BODY_OVERHEAD);
        return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), limit)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> new PusherApiException(HttpStatus.CONTENT_TOO_LARGE,
                        "Request body is larger than " + limit + " bytes"));
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
