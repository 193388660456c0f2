package dev.vask.platform.frontdoor;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.vask.platform.signature.PusherApiAnswer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a {@link PusherApiAnswer} into the HTTP response the WebFlux road sends for it: the same JSON (the server's
 * JSON mapper), {@code Content-Type: application/json}, {@code Retry-After} and {@code Connection: close} as the answer
 * says, and the headers of the Pusher API's security chain ({@link #SECURITY_HEADERS}; a test holds them equal to what
 * that chain writes).
 */
final class FrontDoorResponses {

    /** What Spring Security's default header writers put on a response of the Pusher API's chain over plain HTTP. */
    static final List<Map.Entry<AsciiString, AsciiString>> SECURITY_HEADERS = List.of(
            header("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"),
            header("Pragma", "no-cache"),
            header("Expires", "0"),
            header("X-Content-Type-Options", "nosniff"),
            header("X-Frame-Options", "DENY"),
            header("X-XSS-Protection", "0"),
            header("Referrer-Policy", "no-referrer"));
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper json;

    FrontDoorResponses(JsonMapper json) {
        this.json = json;
    }

    FullHttpResponse render(PusherApiAnswer answer, boolean close, ByteBufAllocator allocator) {
        byte[] body = answer.body() instanceof Map<?, ?> map && map.isEmpty() ? EMPTY_OBJECT : json.writeValueAsBytes(answer.body());
        ByteBuf content = allocator.buffer(body.length).writeBytes(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status().value()), content);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        String retryAfter = answer.retryAfterSeconds();
        if (retryAfter != null) {
            headers.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        for (Map.Entry<AsciiString, AsciiString> header : SECURITY_HEADERS) {
            headers.set(header.getKey(), header.getValue());
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    private static Map.Entry<AsciiString, AsciiString> header(String name, String value) {
        return Map.entry(AsciiString.cached(name), AsciiString.cached(value));
    }
}
