package dev.vask.platform.app;

import java.net.URI;
import java.util.List;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Apps: created in a tenant, then addressed by their numeric id. */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
@Tag(name = "Apps", description = "Create, read, change and delete apps; toggles and limits")
class AppController {

    private final AppService apps;

    AppController(AppService apps) {
        this.apps = apps;
    }

    @GetMapping("/apps")
    @Operation(operationId = "listAllApps", summary = "List the apps of all your tenants")
    Mono<List<AppView>> listAll(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
        return apps.listAll(caller).collectList();
    }

    @GetMapping("/tenants/{tenantId}/apps")
    @Operation(operationId = "listTenantApps", summary = "List a tenant's apps")
    Mono<List<AppView>> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long tenantId) {
        return apps.list(caller, tenantId).collectList();
    }

    @PostMapping("/tenants/{tenantId}/apps")
    @Operation(operationId = "createApp", summary = "Create an app", description = "The server assigns the numeric id. Developer role or above; "
            + "setting limits needs admin or owner. Create a key next: POST /api/v1/apps/{appId}/keys.")
    Mono<ResponseEntity<AppView>> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
            @PathVariable long tenantId, @Valid @RequestBody AppRequests.NewApp request) {
        return apps.create(caller, tenantId, request)
                .map(app -> ResponseEntity.created(URI.create("/api/v1/apps/" + app.id())).eTag(AppService.etag(app)).body(app));
    }

    @GetMapping("/apps/{appId}")
    @Operation(operationId = "getApp", summary = "Read an app", description = "Answers an ETag to send back as If-Match with a change.")
    Mono<ResponseEntity<AppView>> get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId) {
        return apps.get(caller, appId).map(app -> ResponseEntity.ok().eTag(AppService.etag(app)).body(app));
    }

    @PatchMapping("/apps/{appId}")
    @Operation(operationId = "updateApp", summary = "Change an app", description = "Rename, enable or disable, toggles, limits: only the fields present "
            + "change, and every node applies the change within about a second. Developer role or above; limits need admin "
            + "or owner. With If-Match, the change applies only if the app is still at that ETag (else 412).")
    Mono<ResponseEntity<AppView>> update(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId,
            @Parameter(description = "the ETag from a previous read; the change fails with 412 if the app changed since")
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @Valid @RequestBody AppRequests.AppPatch patch) {
        return apps.update(caller, appId, patch, ifMatch).map(app -> ResponseEntity.ok().eTag(AppService.etag(app)).body(app));
    }

    @DeleteMapping("/apps/{appId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteApp", summary = "Delete an app", description = "With its keys and usage. Its sockets are closed on every node "
            + "within about a second. Developer role or above.")
    Mono<Void> delete(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId) {
        return apps.delete(caller, appId);
    }
}
