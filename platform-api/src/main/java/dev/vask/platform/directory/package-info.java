/**
 * {@link dev.vask.platform.directory.PostgresAppDirectory}: realtime's app directory over the tenant
 * database, cached and evicted by Postgres LISTEN/NOTIFY.
 */
@NullMarked
package dev.vask.platform.directory;

import org.jspecify.annotations.NullMarked;
