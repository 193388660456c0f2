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
 * Sign-in and sign-out for browsers (the dashboard): a session cookie ({@value SessionStore#COOKIE}) plus
 * the session's CSRF token, which every state-changing request made with the cookie must echo in
 * {@code X-XSRF-TOKEN}. The token is answered in the body and copied into a cookie ({@link SessionCookies}
 * has both cookies' attributes); it is derived from the session ({@link SessionCsrfTokens}), so every
 * sign-in brings a new one.
 */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/session")
@Tag(name = "Session", description = "Sign in and out with a session cookie (for browsers; scripts use API tokens)")
class SessionController {

    private final AccountService accounts;
    private final SessionStore sessions;
    private final SessionCsrfTokens csrfTokens;
    private final SessionCookies cookies;

    SessionController(AccountService accounts, SessionStore sessions, SessionCsrfTokens csrfTokens, SessionCookies cookies) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.csrfTokens = csrfTokens;
        this.cookies = cookies;
    }

    @PostMapping
    @Operation(operationId = "signIn", summary = "Sign in", description = "Sets the VASK_SESSION cookie and answers the CSRF token to send as "
            + "X-XSRF-TOKEN. Failed attempts are throttled per account and per client address (429 with Retry-After).")
    @SecurityRequirements
    Mono<ResponseEntity<SessionView>> signIn(@Valid @RequestBody AccountRequests.SignIn request, ServerWebExchange exchange) {
        return accounts.signIn(request.email(), request.password(), exchange.getRequest().getRemoteAddress())
                .flatMap(signedIn -> accounts.view(signedIn.accountId()).map(view -> {
                    String csrfToken = csrfTokens.tokenFor(signedIn.session().value());
                    Duration lifetime = Duration.between(Instant.now(), signedIn.session().expiresAt());
                    return ResponseEntity.ok()
                            .header(HttpHeaders.SET_COOKIE, cookies.session(exchange.getRequest(), signedIn.session().value(), lifetime).toString(),
                                    cookies.csrf(exchange.getRequest(), csrfToken, lifetime).toString())
                            .body(new SessionView(view, signedIn.session().expiresAt(), csrfToken));
                }));
    }

    @GetMapping
    @Operation(operationId = "getSession", summary = "Read the current session", description = "Session cookie only. Answers a fresh view of the "
            + "account and the CSRF token.")
    Mono<ResponseEntity<SessionView>> current(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return Mono.zip(accounts.view(caller.accountId()), sessions.expiresAt(caller.credentialId()), csrfToken(exchange))
                .map(all -> ResponseEntity.ok()
                        .header(HttpHeaders.SET_COOKIE, cookies.csrf(exchange.getRequest(), all.getT3(),
                                Duration.between(Instant.now(), all.getT2())).toString())
                        .body(new SessionView(all.getT1(), all.getT2(), all.getT3())));
    }

    @DeleteMapping
    @Operation(operationId = "signOut", summary = "Sign out", description = "Ends the session and clears the cookie.")
    Mono<ResponseEntity<Void>> signOut(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return sessions.delete(caller.credentialId())
                .thenReturn(ResponseEntity.status(HttpStatus.NO_CONTENT)
                        .header(HttpHeaders.SET_COOKIE, cookies.session(exchange.getRequest(), "", Duration.ZERO).toString(),
                                cookies.csrf(exchange.getRequest(), "", Duration.ZERO).toString())
                        .<Void>build());
    }

    /** The CSRF token of the session this request's cookie names. */
    private Mono<String> csrfToken(ServerWebExchange exchange) {
        return csrfTokens.loadToken(exchange).map(CsrfToken::getToken).defaultIfEmpty("");
    }
}
