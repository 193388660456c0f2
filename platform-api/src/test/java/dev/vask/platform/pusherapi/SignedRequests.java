package dev.vask.platform.pusherapi;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import dev.vask.platform.signature.RequestSigning;

/** Hand-signed Pusher HTTP API requests, for the cases the SDKs never produce (bad signatures, stale clocks). */
public final class SignedRequests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    public SignedRequests(int port) {
        this.port = port;
    }

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    }

    /** A correctly signed request unless {@code tamper} changes the parameters after signing. */
    public Response send(String method, String path, Map<String, String> params, String body, String key, String secret,
            java.util.function.Consumer<Map<String, String>> tamper) {
        return send(method, path, params, body, key, secret, tamper, "application/json");
    }

    public Response send(String method, String path, Map<String, String> params, String body, String key, String secret,
            java.util.function.Consumer<Map<String, String>> tamper, String contentType) {
        return raw(method, signedPathAndQuery(method, path, params, body, key, secret, tamper), body, contentType);
    }

    /** The path with its signed query string, as an SDK sends it. */
    public static String signedPathAndQuery(String method, String path, Map<String, String> params, String body, String key, String secret) {
        return signedPathAndQuery(method, path, params, body, key, secret, query -> { });
    }

    private static String signedPathAndQuery(String method, String path, Map<String, String> params, String body, String key, String secret,
            java.util.function.Consumer<Map<String, String>> tamper) {
        Map<String, String> query = new LinkedHashMap<>(params);
        query.putIfAbsent("auth_key", key);
        query.putIfAbsent("auth_timestamp", Long.toString(Instant.now().getEpochSecond()));
        query.putIfAbsent("auth_version", "1.0");
        if (!body.isEmpty()) {
            query.putIfAbsent("body_md5", RequestSigning.md5Hex(body.getBytes(StandardCharsets.UTF_8)));
        }
        query.put("auth_signature", RequestSigning.sign(secret, RequestSigning.stringToSign(method, path, query)));
        tamper.accept(query);
        String encoded = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return path + "?" + encoded;
    }

    public Response send(String method, String path, Map<String, String> params, String body, String key, String secret) {
        return send(method, path, params, body, key, secret, query -> { });
    }

    public Response raw(String method, String pathAndQuery, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() && method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
