package dev.vask.platform.mail;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The URL people reach Vask at, for links in mail: {@code VASK_PUBLIC_URL} ({@code vask.public-url}),
 * else {@code http://localhost:{port}} with the port the server listens on.
 */
public final class PublicUrl {

    private final @Nullable String configured;
    private final Environment environment;

    PublicUrl(@Nullable String configured, Environment environment) {
        this.configured = configured == null || configured.isBlank() ? null : configured.strip();
        this.environment = environment;
    }

    /** The base, without a trailing slash. */
    public String base() {
        if (configured != null) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "6001"));
        return "http://localhost:" + port;
    }

    /** A dashboard page, such as {@code dashboard("/verify")}, with a token in the fragment (never sent to a server). */
    public URI dashboard(String page, String token) {
        return URI.create(base() + "/dashboard" + page + "#token=" + token);
    }
}
