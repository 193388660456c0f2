/**
 * Per-app figures for Prometheus: counted on the hot path in plain per-app counters, read by Micrometer only when
 * scraped, with per-app series for the busiest apps (and apps that opt in) and one {@code app="other"} series for
 * the rest, so that the number of series stays bounded (docs/ops/metrics.md).
 */
@NullMarked
package dev.vask.realtime.metrics;

import org.jspecify.annotations.NullMarked;
