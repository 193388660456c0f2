package dev.vask.platform.usage;

import java.time.LocalDate;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** An app's daily usage. */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@Tag(name = "Usage", description = "Per-app, per-day usage")
class UsageController {

    private final UsageQueries usage;

    UsageController(UsageQueries usage) {
        this.usage = usage;
    }

    @GetMapping("/api/v1/apps/{appId}/usage")
    @Operation(operationId = "getAppUsage", summary = "Read an app's daily usage", description = "One entry per UTC day from 'from' to 'to' (inclusive; "
            + "default: the last 30 days), at most 366 days. Figures lag by up to the flush interval (10 s by default).")
    Mono<UsageReport> daily(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId,
            @Parameter(description = "first UTC day, YYYY-MM-DD", example = "2026-11-01")
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate from,
            @Parameter(description = "last UTC day, YYYY-MM-DD (default today)", example = "2026-11-25")
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to) {
        return usage.daily(caller, appId, from, to);
    }
}
