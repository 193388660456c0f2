package dev.vask.platform.web;

import dev.vask.platform.account.SessionStore;
import dev.vask.platform.management.ApiException;
import dev.vask.platform.token.ApiTokens;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads and checks the management API's credentials: {@code Authorization: Bearer vask_pat_...} (an
 * API token) or else the {@value SessionStore#COOKIE} cookie (a browser session). Each request is
 * checked against the database, so a revoked token or ended session stops working at once on every node.
 */
final class ManagementAuthentication implements ServerAuthenticationConverter, ReactiveAuthenticationManager {

    private final ApiTokens tokens;
    private final SessionStore sessions;

    ManagementAuthentication(ApiTokens tokens, SessionStore sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            if (header.length() > 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Mono.just(new CallerAuthentication.Credential(CallerAuthentication.Credential.Kind.TOKEN, header.substring(7).strip()));
            }
            return Mono.error(new BadCredentialsException("The management API accepts 'Authorization: Bearer <token>' only"));
        }
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(SessionStore.COOKIE);
        if (cookie != null && !cookie.getValue().isEmpty()) {
            return Mono.just(new CallerAuthentication.Credential(CallerAuthentication.Credential.Kind.SESSION, cookie.getValue()));
        }
        return Mono.empty();
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof CallerAuthentication.Credential credential)) {
            return Mono.empty();
        }
        String value = (String) credential.getCredentials();
        var caller = switch (credential.kind()) {
            case TOKEN -> tokens.authenticate(value);
            case SESSION -> sessions.authenticate(value)
                    .switchIfEmpty(Mono.error(() -> ApiException.unauthorized("Your session has ended; sign in again")));
        };
        return caller.<Authentication>map(CallerAuthentication::new)
                .onErrorMap(ApiException.class, error -> new BadCredentialsException(error.detail(), error));
    }
}
