package dev.vask.platform.vapid;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.ManagementApi;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** An app's Web Push key and its rotation: read, change period and subject, rotate now. */
@RestController
@ManagementApi
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/apps/{appId}/vapid")
@Tag(name = "Web Push", description = "The app's VAPID key, its rotation period and subject, and rotation on demand")
class VapidController {

    private final VapidService vapid;

    VapidController(VapidService vapid) {
        this.vapid = vapid;
    }

    @GetMapping
    @Operation(operationId = "getVapid", summary = "Read the app's Web Push key and settings",
            description = "The current public key with when it was made and when the schedule replaces it, the rotation period and the "
                    + "subject. The key fields are null while Web Push is off.")
    Mono<VapidView> get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId) {
        return vapid.get(caller, appId);
    }

    @PatchMapping
    @Operation(operationId = "updateVapid", summary = "Change the rotation period or the subject",
            description = "Only the fields present change. A shorter period can make the current key due at once: the schedule then "
                    + "replaces it within a minute. Developer role or above.")
    Mono<VapidView> update(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId,
            @Valid @RequestBody VapidRequests.VapidPatch patch) {
        return vapid.update(caller, appId, patch);
    }

    @PostMapping("/rotate")
    @Operation(operationId = "rotateVapid", summary = "Rotate the app's Web Push key now",
            description = "In one transaction a new key pair becomes current and the old private key and every push subscription made "
                    + "with it are deleted; every open socket of the app hears the new key as vask:vapid at once. 409 when Web Push "
                    + "is off. Developer role or above.")
    Mono<VapidView> rotate(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller, @PathVariable long appId) {
        return vapid.rotate(caller, appId);
    }
}
