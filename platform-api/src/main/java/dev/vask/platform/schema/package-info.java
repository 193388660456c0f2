/** The tenant database schema as the application sees it: whether its migrations have been applied. */
@NullMarked
package dev.vask.platform.schema;

import org.jspecify.annotations.NullMarked;
