/**
 * Small helpers for request paths that are reactive by contract but mostly answered from memory:
 * {@link dev.vask.realtime.reactive.Immediate} reads a step that already holds its result without subscribing.
 */
@NullMarked
package dev.vask.realtime.reactive;

import org.jspecify.annotations.NullMarked;
