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
    private final EmailVerification verification;
    private final PasswordReset reset;

    AccountController(AccountService accounts, EmailVerification verification, PasswordReset reset) {
        this.accounts = accounts;
        this.verification = verification;
        this.reset = reset;
    }

    @PostMapping("/accounts")
    @Operation(operationId = "signUp", summary = "Sign up", description = "Creates an account and a tenant it owns, and mails a link that "
            + "verifies the address (POST /api/v1/email-verification). No authentication needed (unless the operator turned sign-up "
            + "off: 403 signup-disabled); at most VASK_SIGNUPS_PER_ADDRESS per client address per hour (429). Sign in afterwards "
            + "with POST /api/v1/session.")
    @SecurityRequirements
    Mono<ResponseEntity<AccountView>> signUp(@Valid @RequestBody AccountRequests.SignUp request, ServerWebExchange exchange) {
        return accounts.signUp(request, exchange.getRequest().getRemoteAddress())
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
        return request.changesDisplayName() ? accounts.updateProfile(caller, request.displayName()) : accounts.view(caller.accountId());
    }

    @PostMapping("/account/verification-mail")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "sendVerificationMail", summary = "Mail a new verification link", description = "To your account's address; "
            + "earlier links stop working. 409 already-verified; 429 if the last one went out less than a minute ago.")
    Mono<Void> sendVerificationMail(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return verification.resend(caller);
    }

    @PostMapping("/email-verification")
    @Operation(operationId = "verifyEmail", summary = "Verify your address", description = "With the token of a verification link "
            + "(the dashboard's /dashboard/verify page sends it). No authentication needed: the link proves the address. Each link "
            + "works once, until it expires (400 invalid-link).")
    @SecurityRequirements
    Mono<VerificationView> verifyEmail(@Valid @RequestBody AccountRequests.Verification request) {
        return verification.confirm(java.util.Objects.requireNonNull(request.token()));
    }

    @PostMapping("/password-reset")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "requestPasswordReset", summary = "Ask for a password-reset link", description = "Mails a link to the "
            + "address if an account has it. Answers 202 either way. At most 10 requests per client address per hour (429).")
    @SecurityRequirements
    Mono<Void> requestPasswordReset(@Valid @RequestBody AccountRequests.ResetRequest request, ServerWebExchange exchange) {
        return reset.request(java.util.Objects.requireNonNull(request.email()), exchange.getRequest().getRemoteAddress());
    }

    @PostMapping("/password-reset/confirm")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "resetPassword", summary = "Set a new password with a reset link", description = "Each link works once, "
            + "until it expires (400 invalid-link). Ends every session of the account and verifies its address; if the address "
            + "was not verified before, also revokes the account's API tokens.")
    @SecurityRequirements
    Mono<Void> resetPassword(@Valid @RequestBody AccountRequests.ResetConfirm request) {
        return reset.complete(java.util.Objects.requireNonNull(request.token()), java.util.Objects.requireNonNull(request.newPassword()));
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
