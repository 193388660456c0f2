/**
 * The audit log: who did what to which tenant, member, app or key, and when. Entries are written in
 * the same transaction as the change they describe, so there is never a change without its entry
 * (nor an entry for a change that rolled back). Admins and owners read them over the API.
 */
@NullMarked
package dev.vask.platform.audit;

import org.jspecify.annotations.NullMarked;
