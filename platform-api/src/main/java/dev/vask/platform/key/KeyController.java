package dev.vask.platform.key;

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
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** An app's keys: several may be active at once, so that a secret can be rolled with no downtime. */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/apps/{appId}/keys")
@Tag(name = "Keys", description = "App keys and secrets: create, list, revoke (rotate = create, then revoke the old one)")
class KeyController {

    private final KeyService keys;

    KeyController(KeyService keys) {
        this.keys = keys;
    }

    @GetMapping
    @Operation(operationId = "listKeys", summary = "List an app's keys", description = "Active and revoked. Secrets are shown to developers, "
            + "admins and owners; viewers get null.")
    Mono<List<KeyView>> list(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId) {
        return keys.list(caller, appId).collectList();
    }

    @PostMapping
    @Operation(operationId = "createKey", summary = "Create a key", description = "Generates a key and a secret (answered in full). At most 10 "
            + "active keys per app. Developer role or above. The body may be omitted.")
    Mono<ResponseEntity<KeyView>> create(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId,
            @Valid @RequestBody(required = false) KeyRequests.@Nullable NewKey request) {
        return keys.create(caller, appId, request == null ? null : request.label())
                .map(key -> ResponseEntity.created(URI.create("/api/v1/apps/" + appId + "/keys/" + key.key())).body(key));
    }

    @GetMapping("/{key}")
    @Operation(operationId = "getKey", summary = "Read a key")
    Mono<KeyView> get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId,
            @PathVariable String key) {
        return keys.get(caller, appId, key);
    }

    @PostMapping("/{key}/revoke")
    @Operation(operationId = "revokeKey", summary = "Revoke a key", description = "Final: its signatures stop working and its sockets close on every "
            + "node within about a second. Revoking twice is harmless. Developer role or above.")
    Mono<KeyView> revoke(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId,
            @PathVariable String key) {
        return keys.revoke(caller, appId, key);
    }
}
