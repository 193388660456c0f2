package dev.vask.platform.usage;

import java.time.LocalDate;
import java.util.List;

/**
 * An app's usage over a range of UTC days. Figures lag by up to {@code vask.usage.flush-interval}.
 *
 * @param appId the app
 * @param from first day, inclusive
 * @param to last day, inclusive
 * @param days one entry per day from {@code from} to {@code to}
 */
public record UsageReport(long appId, LocalDate from, LocalDate to, List<DailyUsage> days) {
}
