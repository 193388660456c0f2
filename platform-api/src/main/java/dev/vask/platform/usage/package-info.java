/**
 * Usage per app and UTC day (peak connections, HTTP API messages, client events, deliveries,
 * rejected requests) and the daily message quota. {@link dev.vask.platform.usage.UsageMeter} counts
 * in memory on the hot path and adds its deltas to Postgres every {@code vask.usage.flush-interval}.
 */
@NullMarked
package dev.vask.platform.usage;

import org.jspecify.annotations.NullMarked;
