package dev.vask.platform.management;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a member may do in a tenant, and which {@link Role roles} may do it: the one table of
 * authorization rules. Queries bind {@link #roleValues()} so that the check happens in SQL too
 * ({@code m.role = any(:roles)}), next to the tenant scope.
 */
public enum Permission {

    /** See the tenant, its members, apps, keys without secrets, and usage. */
    READ(Role.OWNER, Role.ADMIN, Role.DEVELOPER, Role.VIEWER),
    /** Create, rename, enable, disable, toggle and delete apps; create and revoke keys. */
    MANAGE_APPS(Role.OWNER, Role.ADMIN, Role.DEVELOPER),
    /** See app secrets in full. */
    READ_SECRETS(Role.OWNER, Role.ADMIN, Role.DEVELOPER),
    /** Change an app's limits (connections, message size, rates, daily quota). */
    SET_LIMITS(Role.OWNER, Role.ADMIN),
    /** Add, re-role and remove members; rename the tenant. Only owners touch owners. */
    MANAGE_MEMBERS(Role.OWNER, Role.ADMIN),
    /** Read the audit log. */
    READ_AUDIT(Role.OWNER, Role.ADMIN),
    /** Grant or take away the owner role. */
    MANAGE_OWNERS(Role.OWNER),
    /** Delete the tenant with all its apps. */
    DELETE_TENANT(Role.OWNER);

    private final Set<Role> roles;
    private final String[] roleValues;

    Permission(Role... roles) {
        this.roles = EnumSet.copyOf(Arrays.asList(roles));
        this.roleValues = Arrays.stream(roles).map(Role::value).toArray(String[]::new);
    }

    public boolean allows(Role role) {
        return roles.contains(role);
    }

    /** The database values of the roles that have this permission, for {@code role = any(:roles)}. */
    public String[] roleValues() {
        return roleValues.clone();
    }
}
