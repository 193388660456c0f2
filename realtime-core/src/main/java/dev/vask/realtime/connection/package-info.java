/**
 * This node's sockets: the WebSocket handshake on the shared port, one {@code Connection} state machine
 * per socket, and the {@link dev.vask.realtime.connection.Hub} of apps, channels and signed-in users
 * that local delivery writes through.
 */
@NullMarked
package dev.vask.realtime.connection;

import org.jspecify.annotations.NullMarked;
