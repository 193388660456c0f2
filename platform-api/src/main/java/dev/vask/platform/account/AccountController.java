package dev.vask.platform.account;

import java.net.URI;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Sign-up and the caller's own account. */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
@Tag(name = "Account", description = "Sign up, read and change your own account")
class AccountController {

    private final AccountService accounts;

    AccountController(AccountService accounts) {
        this.accounts = accounts;
    }

    @PostMapping("/accounts")
    @Operation(operationId = "signUp", summary = "Sign up", description = "Creates an account and a tenant it owns. No authentication needed "
            + "(unless the operator turned sign-up off: 403 signup-disabled). Sign in afterwards with POST /api/v1/session.")
    @SecurityRequirements
    Mono<ResponseEntity<AccountView>> signUp(@Valid @RequestBody AccountRequests.SignUp request) {
        return accounts.signUp(request)
                .map(account -> ResponseEntity.created(URI.create("/api/v1/account")).body(account));
    }

    @GetMapping("/account")
    @Operation(operationId = "getAccount", summary = "Read your account", description = "With the tenants you are a member of and your role in each.")
    Mono<AccountView> me(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return accounts.view(caller.accountId());
    }

    @PatchMapping("/account")
    @Operation(operationId = "updateAccount", summary = "Change your display name")
    Mono<AccountView> update(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody AccountRequests.ProfileUpdate request) {
        return accounts.updateProfile(caller, request.displayName());
    }

    @PutMapping("/account/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "changePassword", summary = "Change your password", description = "Signed-in sessions only (not API tokens). "
            + "Ends every other session of the account; API tokens stay valid.")
    Mono<Void> changePassword(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody AccountRequests.PasswordChange request, ServerWebExchange exchange) {
        return accounts.changePassword(caller, request.currentPassword(), request.newPassword(),
                exchange.getRequest().getRemoteAddress());
    }
}
