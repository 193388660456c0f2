package dev.vask.platform.management;

import java.util.Optional;

import io.r2dbc.postgresql.api.PostgresqlException;
import org.jspecify.annotations.Nullable;

/**
 * Reads what PostgreSQL said about a failed statement (through Spring's exception translation), so
 * that a violated constraint becomes the right 4xx answer instead of a 500.
 */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /** The name of the constraint the statement violated, if the failure was a constraint violation. */
    public static Optional<String> violatedConstraint(Throwable error) {
        PostgresqlException postgres = postgresCause(error);
        return postgres == null ? Optional.empty() : postgres.getErrorDetails().getConstraintName();
    }

    /** True when the failure is a violation of the named constraint (or constraint trigger). */
    public static boolean violates(Throwable error, String constraint) {
        return violatedConstraint(error).filter(constraint::equals).isPresent();
    }

    /** True when the failure is a foreign key violation (SQLSTATE 23503), such as a row of a deleted app. */
    public static boolean isForeignKeyViolation(Throwable error) {
        PostgresqlException postgres = postgresCause(error);
        return postgres != null && "23503".equals(postgres.getErrorDetails().getCode());
    }

    private static @Nullable PostgresqlException postgresCause(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current instanceof PostgresqlException postgres) {
                return postgres;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
