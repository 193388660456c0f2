package dev.vask.platform.tenant;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.platform.management.Role;
import dev.vask.realtime.config.ConditionalOnRole;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Tenants and their members. */
@RestController
@ManagementApi
@ConditionalOnRole(dev.vask.realtime.config.Role.API)
@RequestMapping("/api/v1/tenants")
@Tag(name = "Tenants", description = "Your tenants and their members")
class TenantController {

    private final TenantService tenants;
    private final TenantMembers members;

    TenantController(TenantService tenants, TenantMembers members) {
        this.tenants = tenants;
        this.members = members;
    }

    @GetMapping
    @Operation(operationId = "listTenants", summary = "List your tenants", description = "With your role in each.")
    Mono<List<TenantView>> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return tenants.list(caller).collectList();
    }

    @PostMapping
    @Operation(operationId = "createTenant", summary = "Create a tenant", description = "You become its owner.")
    Mono<ResponseEntity<TenantView>> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody TenantRequests.TenantName request) {
        return tenants.create(caller, Objects.requireNonNull(request.name()))
                .map(tenant -> ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant.id())).body(tenant));
    }

    @GetMapping("/{tenantId}")
    @Operation(operationId = "getTenant", summary = "Read a tenant")
    Mono<TenantView> get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId) {
        return tenants.get(caller, tenantId);
    }

    @PatchMapping("/{tenantId}")
    @Operation(operationId = "renameTenant", summary = "Rename a tenant", description = "Admin or owner.")
    Mono<TenantView> rename(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId,
            @Valid @RequestBody TenantRequests.TenantName request) {
        return tenants.rename(caller, tenantId, Objects.requireNonNull(request.name()));
    }

    @DeleteMapping("/{tenantId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteTenant", summary = "Delete a tenant", description = "Owner only. Deletes every app of the tenant with its keys and "
            + "usage; their sockets are closed on every node within about a second.")
    Mono<Void> delete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId) {
        return tenants.delete(caller, tenantId);
    }

    @GetMapping("/{tenantId}/members")
    @Operation(operationId = "listMembers", summary = "List a tenant's members")
    Mono<List<MemberView>> members(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId) {
        return members.list(caller, tenantId).collectList();
    }

    @PatchMapping("/{tenantId}/members/{accountId}")
    @Operation(operationId = "changeMemberRole", summary = "Change a member's role", description = "Admin or owner; only owners grant, change or take away "
            + "the owner role. The last owner cannot be demoted (409 last-owner).")
    Mono<MemberView> changeRole(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId,
            @PathVariable long accountId, @Valid @RequestBody TenantRequests.RoleChange request) {
        return members.changeRole(caller, tenantId, accountId, role(request.role()));
    }

    @DeleteMapping("/{tenantId}/members/{accountId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "removeMember", summary = "Remove a member, or leave", description = "Admins and owners remove members (only owners remove "
            + "owners); anyone may remove themself. The last owner cannot leave (409 last-owner).")
    Mono<Void> removeMember(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId,
            @PathVariable long accountId) {
        return members.remove(caller, tenantId, accountId);
    }

    private static Role role(String value) {
        return Role.parse(Objects.requireNonNull(value)).orElseThrow();
    }
}
