/** Pusher HTTP API: channel listings, channel state and presence users. */
@NullMarked
package dev.vask.platform.channels;

import org.jspecify.annotations.NullMarked;
