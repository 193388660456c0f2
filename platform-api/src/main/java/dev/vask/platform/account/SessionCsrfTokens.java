package dev.vask.platform.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.HttpCookie;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The CSRF token of a browser session: HMAC-SHA256 of a fixed label, keyed with the session cookie's
 * value. The token is therefore new with every sign-in, worthless with any other session, and cannot be
 * chosen by anyone: planting a cookie (from a sibling subdomain, or over plain HTTP) does not help an
 * attacker, who would need the victim's HttpOnly session value to compute it. Nothing is stored; every
 * node computes the same token.
 *
 * <p>As Spring Security's {@link ServerCsrfTokenRepository}, it answers the token expected for the request's
 * session cookie, and none without one; the {@link SessionCookies CSRF cookie} is only a copy for
 * scripts, never what a request is checked against.
 */
@Component
public class SessionCsrfTokens implements ServerCsrfTokenRepository {

    /** The request header that must carry the token. */
    public static final String HEADER = "X-XSRF-TOKEN";

    /** A form field Spring Security would also read the token from; nothing of Vask's sends forms. */
    private static final String PARAMETER = "_csrf";

    private static final byte[] LABEL = "vask csrf token v1".getBytes(StandardCharsets.US_ASCII);

    /** The token for a session, from the session cookie's value. */
    public String tokenFor(String sessionValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionValue.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(LABEL));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public Mono<CsrfToken> loadToken(ServerWebExchange exchange) {
        HttpCookie session = exchange.getRequest().getCookies().getFirst(SessionStore.COOKIE);
        if (session == null || session.getValue().isEmpty()) {
            return Mono.empty();
        }
        return Mono.just(new DefaultCsrfToken(HEADER, PARAMETER, tokenFor(session.getValue())));
    }

    /** No session, no token: a token exists only once signing in made a session. */
    @Override
    public Mono<CsrfToken> generateToken(ServerWebExchange exchange) {
        return Mono.empty();
    }

    /** Nothing to save: the token follows from the session. */
    @Override
    public Mono<Void> saveToken(ServerWebExchange exchange, CsrfToken token) {
        return Mono.empty();
    }
}
