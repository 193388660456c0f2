/**
 * What one process can carry: its event loops, sized to the CPUs it may use, and admission control, which refuses
 * new work (WebSockets, HTTP publishes) before heap, direct memory or file descriptors run out, so that the
 * connections already open keep working.
 */
@NullMarked
package dev.vask.realtime.capacity;

import org.jspecify.annotations.NullMarked;
