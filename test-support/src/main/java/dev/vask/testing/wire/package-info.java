/** Bytes on the wire: a WebSocket client that can send what well-behaved clients never would. */
@NullMarked
package dev.vask.testing.wire;

import org.jspecify.annotations.NullMarked;
