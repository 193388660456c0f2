package dev.vask.platform.management;

import java.util.Objects;
import java.util.Set;

/**
 * Who sends a management API request: an account, authenticated either by a browser session
 * (cookie) or by one of its personal access tokens. Every query the API runs is scoped by
 * {@link #accountId()}.
 *
 * @param accountId the account
 * @param email the account's email, as stored (kept in audit entries)
 * @param method how the request was authenticated
 * @param scopes what the credential allows: a session has every scope, a token those it was created with
 * @param credentialId the session's or the token's id
 */
public record Caller(long accountId, String email, Method method, Set<Scope> scopes, long credentialId) {

    /** How a request was authenticated. */
    public enum Method {
        /** The {@code VASK_SESSION} cookie set by {@code POST /api/v1/session}. */
        SESSION,
        /** {@code Authorization: Bearer vask_pat_...}. */
        TOKEN
    }

    public Caller {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(method, "method");
        scopes = Set.copyOf(scopes);
    }

    public boolean isSession() {
        return method == Method.SESSION;
    }
}
