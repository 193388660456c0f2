package dev.vask.platform.frontdoor;

import java.util.Map;
import java.util.Map.Entry;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;

/**
 * Which requests the front door takes: a {@code POST} over HTTP/1.1 to exactly {@code /apps/{app}/<operation>} of a
 * route, written plainly. Everything unusual (percent-encoding, {@code ;}, {@code //} or {@code \} in the path,
 * control characters in the request line or a header, {@code Expect}, HTTP/1.0, a head the codec
 * could not decode) goes on to WebFlux, whose firewall and adapters deal with it as they always did. The door never
 * answers a request the WebFlux road would have refused.
 */
final class FrontDoorRequests {

    static final String PREFIX = "/apps/";

    private FrontDoorRequests() {
    }

    /** The route the request is for, or null when WebFlux should have it. */
    static @Nullable FrontDoorRoute route(HttpRequest request, Map<String, FrontDoorRoute> routes) {
        if (request.method() != HttpMethod.POST || request.protocolVersion() != HttpVersion.HTTP_1_1 || request.decoderResult().isFailure()) {
            return null;
        }
        String uri = request.uri();
        if (!uri.startsWith(PREFIX)) {
            return null;
        }
        int queryAt = uri.indexOf('?');
        int pathEnd = queryAt < 0 ? uri.length() : queryAt;
        int appEnd = uri.indexOf('/', PREFIX.length());
        if (appEnd <= PREFIX.length() || appEnd >= pathEnd) {
            return null;
        }
        for (int i = 0; i < pathEnd; i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == ';' || c == '\\' || (c == '/' && i > 0 && uri.charAt(i - 1) == '/')) {
                return null;
            }
        }
        for (int i = pathEnd; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return null;
            }
        }
        FrontDoorRoute route = routes.get(uri.substring(appEnd + 1, pathEnd));
        if (route == null || !plainHeaders(request)) {
            return null;
        }
        return route;
    }

    /** The app segment of a request {@link #route} took. */
    static String appSegment(String uri) {
        return uri.substring(PREFIX.length(), uri.indexOf('/', PREFIX.length()));
    }

    private static boolean plainHeaders(HttpRequest request) {
        // Upgrade (h2c from Java's HttpClient) is ignored as WebFlux ignores it here: HTTP/1.1 answers
        if (request.headers().contains(HttpHeaderNames.EXPECT)) {
            return false;
        }
        var iterator = request.headers().iteratorCharSequence();
        while (iterator.hasNext()) {
            Entry<CharSequence, CharSequence> header = iterator.next();
            CharSequence value = header.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                // what the firewall refuses in a header value: control characters (C0, DEL and C1), except tab
                if ((c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
                    return false;
                }
            }
        }
        return true;
    }
}
