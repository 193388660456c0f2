package dev.vask.platform.account;

import java.time.Duration;
import java.time.Instant;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sign-in and sign-out for browsers (the dashboard): a session cookie ({@value SessionStore#COOKIE},
 * HttpOnly, SameSite=Lax, Secure over HTTPS, path {@code /api/v1}) plus a CSRF token that every
 * state-changing request made with the cookie must echo in {@code X-XSRF-TOKEN}.
 */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/session")
@Tag(name = "Session", description = "Sign in and out with a session cookie (for browsers; scripts use API tokens)")
class SessionController {

    private final AccountService accounts;
    private final SessionStore sessions;

    SessionController(AccountService accounts, SessionStore sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    @PostMapping
    @Operation(operationId = "signIn", summary = "Sign in", description = "Sets the VASK_SESSION cookie and answers the CSRF token to send as "
            + "X-XSRF-TOKEN. Failed attempts are throttled per account and per client address (429 with Retry-After).")
    @SecurityRequirements
    Mono<ResponseEntity<SessionView>> signIn(@Valid @RequestBody AccountRequests.SignIn request, ServerWebExchange exchange) {
        return accounts.signIn(request.email(), request.password(), exchange.getRequest().getRemoteAddress())
                .flatMap(signedIn -> Mono.zip(accounts.view(signedIn.accountId()), csrfToken(exchange))
                        .map(viewAndToken -> ResponseEntity.ok()
                                .header(HttpHeaders.SET_COOKIE, cookie(exchange, signedIn.session().value(),
                                        Duration.between(Instant.now(), signedIn.session().expiresAt())).toString())
                                .body(new SessionView(viewAndToken.getT1(), signedIn.session().expiresAt(), viewAndToken.getT2()))));
    }

    @GetMapping
    @Operation(operationId = "getSession", summary = "Read the current session", description = "Session cookie only. Answers a fresh view of the "
            + "account and the CSRF token.")
    Mono<SessionView> current(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return Mono.zip(accounts.view(caller.accountId()), sessions.expiresAt(caller.credentialId()), csrfToken(exchange))
                .map(all -> new SessionView(all.getT1(), all.getT2(), all.getT3()));
    }

    @DeleteMapping
    @Operation(operationId = "signOut", summary = "Sign out", description = "Ends the session and clears the cookie.")
    Mono<ResponseEntity<Void>> signOut(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return sessions.delete(caller.credentialId())
                .thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT)
                        .header(HttpHeaders.SET_COOKIE, cookie(exchange, "", Duration.ZERO).toString())
                        .<Void>build());
    }

    private static ResponseCookie cookie(ServerWebExchange exchange, String value, Duration maxAge) {
        return ResponseCookie.from(SessionStore.COOKIE, value)
                .httpOnly(true)
                .secure("https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme()))
                .sameSite("Lax")
                .path("/api/v1")
                .maxAge(maxAge.isNegative() ? Duration.ZERO : maxAge)
                .build();
    }

    /** The CSRF token Spring Security attached to this exchange; reading it makes the filter set its cookie. */
    private static Mono<String> csrfToken(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.just("") : token.map(CsrfToken::getToken).defaultIfEmpty("");
    }
}
