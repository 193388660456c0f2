package dev.vask.platform.management;

import java.util.Locale;
import java.util.Optional;

/**
 * A member's role in a tenant, from the most to the least powerful. What each role may do is decided
 * in one place, {@link Permission}; the database stores the lower-case name (V1 {@code tenant_members_role}).
 */
public enum Role {

    /** Everything, including deleting the tenant and making other owners. */
    OWNER,
    /** Everything a developer does, plus members (except owners), limits and the audit log. */
    ADMIN,
    /** Manages apps, toggles and keys, and sees app secrets. */
    DEVELOPER,
    /** Reads apps, keys (without secrets), usage and members. */
    VIEWER;

    public boolean can(Permission permission) {
        return permission.allows(this);
    }

    /** The name stored in the database and used in the API: {@code owner}, {@code admin}, ... */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        for (Role role : values()) {
            if (role.value().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The database value; an unknown value is a broken invariant (the schema constrains it). */
    public static Role fromDatabase(String value) {
        return parse(value).orElseThrow(() -> new IllegalStateException("unknown role in database: " + value));
    }
}
