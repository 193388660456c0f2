package dev.vask.server.database;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Start-up could not reach or log in to the tenant database: says which database (never the password),
 * what went wrong, and what to check, in a few lines instead of a wall of stack traces. Vask does not
 * retry at start-up: an orchestrator restarts a failed process, and a human sees the cause at once.
 */
class DatabaseUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    private final Environment environment;

    DatabaseUnreachableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        if (!(state.startsWith("08") || state.startsWith("28") || state.equals("3D000"))) {
            return null; // not a connection problem: let other analyzers or the stack trace speak
        }
        String database = environment.getProperty("vask.database.description", "the configured database");
        String reason = reason(cause);
        String description = "Vask cannot connect to its database " + database + ": " + reason;
        String action = switch (state) {
            case "28P01", "28000" -> "Check the user name and password in VASK_DATABASE_URL.";
            case "3D000" -> "Create the database first (for example 'createdb'), or fix its name in VASK_DATABASE_URL.";
            default -> "Check that PostgreSQL is running and reachable at that host and port, and that VASK_DATABASE_URL "
                    + "is right (postgres://user:password@host:5432/database). Unset VASK_DATABASE_URL to run on the embedded database.";
        };
        return new FailureAnalysis(description, action, cause);
    }

    private static String reason(SQLException cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused.";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage() + ".";
            }
            if (t instanceof SocketTimeoutException || t instanceof NoRouteToHostException) {
                return "no answer (timed out).";
            }
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int newline = message.indexOf('\n');
        return (newline > 0 ? message.substring(0, newline) : message).trim();
    }
}
