/**
 * Tenants and their members: the organisation that owns apps, and who may do what in it
 * ({@link dev.vask.platform.management.Role}). An account may be a member of several tenants.
 */
@NullMarked
package dev.vask.platform.tenant;

import org.jspecify.annotations.NullMarked;
