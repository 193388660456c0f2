package dev.vask.platform.operator;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.platform.plan.Plan;
import dev.vask.platform.plan.Plans;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The operator's API: plans, which tenant is on which, and who else is an operator. */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/operator")
@Tag(name = "Operator", description = "Plans, tenants' plans and operators (operators only: 403 operator-only otherwise)")
class OperatorController {

    private final Operators operators;
    private final Plans plans;

    OperatorController(Operators operators, Plans plans) {
        this.operators = operators;
        this.plans = plans;
    }

    @GetMapping("/plans")
    @Operation(operationId = "listPlans", summary = "List plans", description = "The default plan of the configuration first (id null), "
            + "then the stored ones by name.")
    Mono<List<Plan>> listPlans(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return operators.require(caller).thenMany(plans.list()).collectList();
    }

    @PostMapping("/plans")
    @Operation(operationId = "createPlan", summary = "Create a plan")
    Mono<ResponseEntity<Plan>> createPlan(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody OperatorRequests.PlanBody request) {
        return operators.require(caller).then(plan(request)).flatMap(plans::create)
                .map(plan -> ResponseEntity.created(URI.create("/api/v1/operator/plans/" + plan.id())).body(plan));
    }

    @PutMapping("/plans/{planId}")
    @Operation(operationId = "updatePlan", summary = "Change a plan", description = "Replaces its name and every ceiling. The apps of its "
            + "tenants get the new ceilings on every node within about a second; limits of their own above a lowered ceiling are "
            + "bounded by it.")
    Mono<Plan> updatePlan(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long planId,
            @Valid @RequestBody OperatorRequests.PlanBody request) {
        return operators.require(caller).then(plan(request)).flatMap(plan -> plans.update(planId, plan));
    }

    @DeleteMapping("/plans/{planId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deletePlan", summary = "Delete a plan", description = "Only a plan no tenant is on (409 plan-in-use).")
    Mono<Void> deletePlan(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long planId) {
        return operators.require(caller).then(plans.delete(planId));
    }

    @GetMapping("/tenants")
    @Operation(operationId = "listAllTenants", summary = "List every tenant", description = "With its plan, owners and number of apps.")
    Mono<List<OperatorTenantView>> tenants(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return operators.tenants(caller).collectList();
    }

    @PutMapping("/tenants/{tenantId}/plan")
    @Operation(operationId = "setTenantPlan", summary = "Put a tenant on a plan", description = "planId null: the default plan. Applies to "
            + "the tenant's apps on every node within about a second.")
    Mono<Plan> setTenantPlan(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId,
            @Valid @RequestBody OperatorRequests.TenantPlan request) {
        return operators.assign(caller, tenantId, request.planId());
    }

    @GetMapping("/operators")
    @Operation(operationId = "listOperators", summary = "List operators")
    Mono<List<OperatorView>> listOperators(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return operators.list(caller).collectList();
    }

    @PostMapping("/operators")
    @Operation(operationId = "grantOperator", summary = "Make an account an operator", description = "The account's address must be "
            + "verified.")
    Mono<OperatorView> grant(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @Valid @RequestBody OperatorRequests.NewOperator request) {
        return operators.grant(caller, Objects.requireNonNull(request.email()));
    }

    @DeleteMapping("/operators/{accountId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeOperator", summary = "Take the operator role away", description = "Not from the last operator "
            + "(409 last-operator).")
    Mono<Void> revoke(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long accountId) {
        return operators.revoke(caller, accountId);
    }

    private static Mono<Plan> plan(OperatorRequests.PlanBody request) {
        String name = Objects.requireNonNull(request.name()).strip();
        if (name.equalsIgnoreCase(Plan.DEFAULT_NAME)) {
            return Mono.error(ApiException.invalid("name", "must not be 'default', the name of the configuration's plan"));
        }
        return Mono.just(new Plan(null, name, request.maxConnections(), Objects.requireNonNull(request.maxMessageBytes()),
                request.maxMessagesPerDay(), request.maxApps(), Objects.requireNonNull(request.clientEventsPerSecond())));
    }
}
