package dev.vask.platform.audit;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A tenant's audit log, for admins and owners. */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@Tag(name = "Audit log", description = "Who did what to which tenant, member, app or key")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/v1/tenants/{tenantId}/audit-events")
    @Operation(operationId = "listAuditEvents", summary = "Read a tenant's audit log", description = "Newest first, one page at a time: pass nextBefore "
            + "as before for the next page. Admin or owner.")
    Mono<AuditPage> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId,
            @Parameter(description = "only entries older than this id") @RequestParam(required = false) @Nullable Long before,
            @Parameter(description = "entries per page, 1 to 200", schema = @Schema(minimum = "1", maximum = "200", defaultValue = "50"))
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > AuditLog.MAX_PAGE) {
            return Mono.error(ApiException.invalid("limit", "must be between 1 and " + AuditLog.MAX_PAGE));
        }
        return audit.list(caller, tenantId, before, limit);
    }
}
