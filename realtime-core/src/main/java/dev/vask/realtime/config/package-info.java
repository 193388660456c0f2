/** Realtime's Spring wiring: configuration, roles, and its life cycle (tenant changes, drain on shutdown). */
@NullMarked
package dev.vask.realtime.config;

import org.jspecify.annotations.NullMarked;
