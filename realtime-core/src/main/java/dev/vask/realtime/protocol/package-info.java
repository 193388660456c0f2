/**
 * The Pusher Channels protocol 7 on the wire: event names, error codes, and the text of the frames
 * in both directions. No Netty, no Spring.
 */
@NullMarked
package dev.vask.realtime.protocol;

import org.jspecify.annotations.NullMarked;
