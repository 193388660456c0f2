package dev.vask.platform.token;

import java.util.List;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The caller's personal access tokens. Only a signed-in session manages tokens: a leaked token can
 * neither mint a longer-lived one nor hide by revoking the others.
 */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/account/tokens")
@Tag(name = "API tokens", description = "Personal access tokens for scripts (manage them from a signed-in session)")
class TokenController {

    private final ApiTokens tokens;

    TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping
    @Operation(operationId = "listTokens", summary = "List your tokens", description = "Without their values. Session cookie only.")
    Mono<List<TokenView>> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return tokens.list(caller).collectList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createToken", summary = "Create a token", description = "The answer holds the token's value, shown this once. Session cookie only.")
    Mono<NewTokenView> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody TokenRequests.NewToken request) {
        return tokens.create(caller, request.name(), request.scopes(), request.expiresAt());
    }

    @PostMapping("/{tokenId}/revoke")
    @Operation(operationId = "revokeToken", summary = "Revoke a token", description = "It stops working at once, on every node. Revoking twice is harmless. "
            + "Session cookie only.")
    Mono<TokenView> revoke(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tokenId) {
        return tokens.revoke(caller, tokenId);
    }
}
