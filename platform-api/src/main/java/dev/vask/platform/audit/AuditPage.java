package dev.vask.platform.audit;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Audit entries, newest first.
 *
 * @param events at most {@code limit} entries
 * @param nextBefore pass as {@code before} to read the next (older) page; null on the last page
 */
public record AuditPage(List<AuditEvent> events, @Schema(nullable = true) @Nullable Long nextBefore) {
}
