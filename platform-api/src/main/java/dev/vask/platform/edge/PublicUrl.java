package dev.vask.platform.edge;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The URL clients reach Vask at ({@code VASK_PUBLIC_URL}; without it {@code http://localhost:{port}}),
 * and whether a request reached Vask over HTTPS. Anything Vask writes that names its own address (the
 * start-up banner, the OpenAPI document's server, the documentation's redirect) comes from here, never
 * from the request's {@code Host} header, which the client chooses.
 *
 * <p>A request counts as HTTPS when the public URL is {@code https}, when it arrived on a TLS connection,
 * or when a trusted proxy ({@link TrustedProxies}) said so in its forwarded headers. Forwarded headers
 * from anyone else never count, even when Spring's own {@code server.forward-headers-strategy} applied them.
 */
public final class PublicUrl {

    private final @Nullable URI configured;
    private final boolean proxiesTrusted;
    private final Environment environment;

    public PublicUrl(EdgeProperties properties, Environment environment) {
        this.configured = parse(properties.publicUrl());
        this.proxiesTrusted = !properties.trustedProxies().isEmpty();
        this.environment = environment;
    }

    /** The public URL without a trailing slash, such as {@code https://realtime.example.com} or {@code http://localhost:6001}. */
    public URI base() {
        if (configured != null) {
            return configured;
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "6001"));
        return URI.create("http://localhost:" + port);
    }

    /** A dashboard page for a mailed link, such as {@code dashboard("/verify", token)}; the token goes in the fragment, never sent to a server. */
    public URI dashboard(String page, String token) {
        return URI.create(base() + "/dashboard" + page + "#token=" + token);
    }

    /** Whether the operator set {@code VASK_PUBLIC_URL} (false: {@link #base()} is the local default). */
    public boolean isConfigured() {
        return configured != null;
    }

    /** The path of the public URL ({@code ""} unless Vask is served under a path, such as {@code /vask}). */
    public String path() {
        String path = base().getRawPath();
        return path == null ? "" : path;
    }

    /** Whether clients reach Vask over HTTPS, as far as the public URL tells. */
    public boolean isHttps() {
        return "https".equals(base().getScheme());
    }

    /** Whether this request reached Vask over HTTPS: see the class comment for what counts. */
    public boolean isHttps(ServerHttpRequest request) {
        return isHttps() || request.getSslInfo() != null
                || (proxiesTrusted && "https".equalsIgnoreCase(request.getURI().getScheme()));
    }

    /** The operator's URL, checked; null when none is set. */
    static @Nullable URI parse(@Nullable String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        }
        catch (URISyntaxException e) {
            throw new IllegalArgumentException("VASK_PUBLIC_URL is not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("VASK_PUBLIC_URL must be an http:// or https:// URL with a host, such as "
                    + "https://realtime.example.com, not '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("VASK_PUBLIC_URL must not have a user, query or fragment: '" + url + "'");
        }
        return URI.create(scheme + trimmed.substring(uri.getScheme().length()));
    }
}
