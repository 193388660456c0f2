package dev.vask.platform.plan;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.platform.management.Permission;
import dev.vask.platform.management.TenantAccess;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A tenant's plan, as its members see it: the ceilings their apps' limits live within. */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@Tag(name = "Tenants", description = "Your tenants and their members")
class TenantPlanController {

    private final Plans plans;
    private final TenantAccess access;

    TenantPlanController(Plans plans, TenantAccess access) {
        this.plans = plans;
        this.access = access;
    }

    @GetMapping("/api/v1/tenants/{tenantId}/plan")
    @Operation(operationId = "getTenantPlan", summary = "Read a tenant's plan", description = "The ceilings of its apps' limits, and how "
            + "many apps it may have. Only operators change it.")
    Mono<Plan> plan(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId) {
        return access.requireTenant(caller, tenantId, Permission.READ, false).then(plans.forTenant(tenantId));
    }
}
