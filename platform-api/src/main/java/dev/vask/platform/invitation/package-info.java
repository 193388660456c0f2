/**
 * Invitations: how a person joins a tenant. An admin invites an address; the holder of that address,
 * once verified, accepts or declines; until then they see nothing of the tenant.
 */
@NullMarked
package dev.vask.platform.invitation;

import org.jspecify.annotations.NullMarked;
