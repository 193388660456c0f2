package dev.vask.platform.signature;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A request to the Pusher HTTP API as the signature sees it: method, the path exactly as received,
 * query parameters decoded (each at most once), and the raw body bytes.
 */
public record PusherRequest(String method, String rawPath, Map<String, String> query, byte[] body) {

    /** @throws PusherApiException 400 for a repeated or undecodable query parameter */
    public static PusherRequest of(ServerHttpRequest request, byte[] body) {
        return new PusherRequest(request.getMethod().name(), request.getURI().getRawPath(), query(request.getURI().getRawQuery()), body);
    }

    public @Nullable String param(String name) {
        return query.get(name);
    }

    static Map<String, String> query(@Nullable String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.putIfAbsent(key, value) != null) {
                throw PusherApiException.badRequest("Duplicate query parameter: " + key);
            }
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw PusherApiException.badRequest("Malformed percent-encoding in the query string");
        }
    }
}
