package dev.vask.platform.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Readiness: UP only when the database answers and every migration this build ships has been applied.
 * A node whose schema is behind (migrations not run yet, or failed) takes no traffic.
 */
public final class SchemaHealthIndicator implements ReactiveHealthIndicator {

    private static final Pattern VERSIONED = Pattern.compile("^V(\\d+)__.*\\.sql$");

    private final DatabaseClient database;
    private final int expectedVersion;

    public SchemaHealthIndicator(DatabaseClient database, int expectedVersion) {
        this.database = database;
        this.expectedVersion = expectedVersion;
    }

    /** The highest {@code V<n>__*.sql} migration on the classpath under {@code db/migration}. */
    public static int latestShippedVersion() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*__*.sql");
            return Arrays.stream(resources)
                    .map(Resource::getFilename)
                    .filter(name -> name != null)
                    .map(VERSIONED::matcher)
                    .filter(Matcher::matches)
                    .mapToInt(matcher -> Integer.parseInt(matcher.group(1)))
                    .max()
                    .orElse(0);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not list the migrations on the classpath", e);
        }
    }

    @Override
    public Mono<Health> health() {
        return database.sql("select coalesce(max(version::int), 0) as applied from flyway_schema_history where success and version is not null")
                .map(row -> row.get("applied", Integer.class))
                .one()
                .map(applied -> applied >= expectedVersion
                        ? Health.up().withDetail("version", applied).build()
                        : Health.down().withDetail("version", applied).withDetail("expected", expectedVersion).build())
                .onErrorResume(error -> Mono.just(Health.down().withDetail("error", "schema not migrated").build()));
    }
}
