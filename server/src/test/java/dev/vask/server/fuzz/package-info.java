/**
 * Fuzz suites: generated WebSocket frames, Pusher HTTP API requests and management API requests against the
 * whole server, with oracles that a broken server fails (a 5xx, a hang, an ERROR line, a leaked buffer, a
 * normal client no longer served). They run in their own JVM with Netty's leak detection at PARANOID.
 */
@NullMarked
package dev.vask.server.fuzz;

import org.jspecify.annotations.NullMarked;
