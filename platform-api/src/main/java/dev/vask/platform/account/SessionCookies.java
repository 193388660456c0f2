package dev.vask.platform.account;

import java.time.Duration;

import dev.vask.platform.edge.PublicUrl;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The two cookies of a browser session, with their attributes in one place:
 * <ul>
 * <li>{@value SessionStore#COOKIE}: the session itself. HttpOnly, {@code SameSite=Strict} (only the
 *     dashboard's own requests carry it, never a request another site starts), path {@code /api/v1};</li>
 * <li>the CSRF cookie: a copy of the {@link SessionCsrfTokens session's CSRF token} for scripts that prefer
 *     a cookie to the token in the session's answer. Readable by scripts, {@code SameSite=Strict}, path
 *     {@code /}; named {@value #CSRF_HTTPS} over HTTPS, which browsers accept only with {@code Secure}, from
 *     a secure origin, on path {@code /} and for this host alone, and {@value #CSRF} over plain HTTP.</li>
 * </ul>
 * Over HTTPS ({@link PublicUrl#isHttps(ServerHttpRequest)}) both are {@code Secure}.
 */
@Component
class SessionCookies {

    /** The CSRF cookie over plain HTTP. */
    static final String CSRF = "XSRF-TOKEN";

    /** The CSRF cookie over HTTPS: the prefix makes browsers refuse it from a sibling domain or over HTTP. */
    static final String CSRF_HTTPS = "__Host-XSRF-TOKEN";

    private final PublicUrl publicUrl;

    SessionCookies(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    ResponseCookie session(ServerHttpRequest request, String value, Duration maxAge) {
        return ResponseCookie.from(SessionStore.COOKIE, value)
                .httpOnly(true)
                .secure(publicUrl.isHttps(request))
                .sameSite("Strict")
                .path("/api/v1")
                .maxAge(maxAge.isNegative() ? Duration.ZERO : maxAge)
                .build();
    }

    ResponseCookie csrf(ServerHttpRequest request, String token, Duration maxAge) {
        boolean https = publicUrl.isHttps(request);
        return ResponseCookie.from(https ? CSRF_HTTPS : CSRF, token)
                .httpOnly(false)
                .secure(https)
                .sameSite("Strict")
                .path("/")
                .maxAge(maxAge.isNegative() ? Duration.ZERO : maxAge)
                .build();
    }
}
