package dev.vask.platform.audit;

import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One audit entry as the API shows it.
 *
 * @param id increasing; pass it as {@code before} to read older entries
 * @param action such as {@code app.updated} or {@code key.revoked}
 * @param targetType {@code tenant}, {@code member}, {@code app} or {@code key}
 * @param targetId the tenant id, member's account id, app id, or the public key
 * @param actorAccountId who did it; null once that account was deleted
 * @param actorEmail who did it, as their email was then
 * @param details what changed, for example {@code {"enabled": {"from": true, "to": false}}}
 * @param createdAt when
 */
public record AuditEvent(long id, String action, String targetType, String targetId,
        @Schema(nullable = true) @Nullable Long actorAccountId,
        String actorEmail, Map<String, Object> details, Instant createdAt) {
}
