package dev.vask.platform.web;

import java.util.ArrayList;
import java.util.List;

import dev.vask.platform.management.Caller;
import dev.vask.platform.management.Scope;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated management API request: its principal is the {@link Caller}. Authorities are the
 * credential's scopes ({@code SCOPE_read}, {@code SCOPE_write}) and, for a browser session, {@code AUTH_session}.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

    static final String SCOPE_READ = "SCOPE_read";
    static final String SCOPE_WRITE = "SCOPE_write";
    static final String SESSION = "AUTH_session";

    private final Caller caller;

    CallerAuthentication(Caller caller) {
        super(authorities(caller));
        this.caller = caller;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(Caller caller) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        if (caller.scopes().contains(Scope.READ)) {
            authorities.add(new SimpleGrantedAuthority(SCOPE_READ));
        }
        if (caller.scopes().contains(Scope.WRITE)) {
            authorities.add(new SimpleGrantedAuthority(SCOPE_WRITE));
        }
        if (caller.isSession()) {
            authorities.add(new SimpleGrantedAuthority(SESSION));
        }
        return authorities;
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getName() {
        return Long.toString(caller.accountId());
    }

    /** Before authentication: the raw credential from the request. */
    static final class Credential extends AbstractAuthenticationToken {

        enum Kind { TOKEN, SESSION }

        private final Kind kind;
        private final String value;

        Credential(Kind kind, String value) {
            super(List.of());
            this.kind = kind;
            this.value = value;
        }

        Kind kind() {
            return kind;
        }

        @Override
        public Object getCredentials() {
            return value;
        }

        @Override
        public Object getPrincipal() {
            return kind;
        }

        @Override
        public String toString() {
            return "Credential[" + kind + ", ****]";
        }
    }
}
