/** Where the tenant database is: VASK_DATABASE_URL, or the embedded PostgreSQL in the data directory. */
@NullMarked
package dev.vask.server.database;

import org.jspecify.annotations.NullMarked;
