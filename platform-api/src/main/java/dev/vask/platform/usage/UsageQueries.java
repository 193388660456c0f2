package dev.vask.platform.usage;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.vask.platform.management.ApiException;
import dev.vask.platform.management.Caller;
import dev.vask.platform.management.FieldViolation;
import dev.vask.platform.management.Permission;
import dev.vask.platform.management.TenantAccess;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Reads usage for the API, scoped to the caller's memberships like everything else. */
@Service
public class UsageQueries {

    /** The longest range one request may ask for. */
    public static final int MAX_DAYS = 366;
    private static final int DEFAULT_DAYS = 30;

    private final DatabaseClient database;
    private final TenantAccess access;
    private final Clock clock = Clock.systemUTC();

    public UsageQueries(DatabaseClient database, TenantAccess access) {
        this.database = database;
        this.access = access;
    }

    /** Daily usage from {@code from} to {@code to} (inclusive, UTC); by default the last 30 days up to today. */
    public Mono<UsageReport> daily(Caller caller, long appId, @Nullable LocalDate from, @Nullable LocalDate to) {
        LocalDate last = to != null ? to : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate first = from != null ? from : last.minusDays(DEFAULT_DAYS - 1);
        List<FieldViolation> errors = new ArrayList<>();
        if (first.isAfter(last)) {
            errors.add(new FieldViolation("from", "must not be after to"));
        }
        else if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            errors.add(new FieldViolation("from", "the range must span at most " + MAX_DAYS + " days"));
        }
        if (!errors.isEmpty()) {
            return Mono.error(ApiException.invalid(errors));
        }
        return access.requireApp(caller, appId, Permission.READ, false)
                .thenMany(database.sql("""
                                select u.day, u.peak_connections, u.api_messages, u.client_events, u.deliveries, u.rejected,
                                       u.pushes_sent, u.pushes_failed, u.pushes_gone
                                from app_usage_daily u join apps a on a.id = u.app_id
                                where u.app_id = :app and u.day between :from and :to and %s
                                order by u.day""".formatted(TenantAccess.memberWithRole("a.tenant_id")))
                        .bind("app", appId)
                        .bind("from", first)
                        .bind("to", last)
                        .bind("caller", caller.accountId())
                        .bind("roles", Permission.READ.roleValues())
                        .map(row -> new DailyUsage(row.get("day", LocalDate.class), row.get("peak_connections", Long.class),
                                row.get("api_messages", Long.class), row.get("client_events", Long.class),
                                row.get("deliveries", Long.class), row.get("rejected", Long.class),
                                row.get("pushes_sent", Long.class), row.get("pushes_failed", Long.class), row.get("pushes_gone", Long.class)))
                        .all())
                .collectMap(DailyUsage::day)
                .map(found -> new UsageReport(appId, first, last, fill(first, last, found)));
    }

    private static List<DailyUsage> fill(LocalDate first, LocalDate last, Map<LocalDate, DailyUsage> found) {
        List<DailyUsage> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            days.add(found.getOrDefault(day, new DailyUsage(day, 0, 0, 0, 0, 0, 0, 0, 0)));
        }
        return days;
    }
}
