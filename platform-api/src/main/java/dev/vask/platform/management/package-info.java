/**
 * What every part of the management API ({@code /api/v1}) shares: the authenticated {@link
 * dev.vask.platform.management.Caller}, tenant {@link dev.vask.platform.management.Role roles} and
 * {@link dev.vask.platform.management.Permission permissions}, the typed {@link
 * dev.vask.platform.management.ApiException errors} that become problem details, and the SQL that scopes
 * every read and write to the caller's memberships ({@link dev.vask.platform.management.TenantAccess}).
 */
@NullMarked
package dev.vask.platform.management;

import org.jspecify.annotations.NullMarked;
