/** Pusher HTTP API: acting on a user's connections. */
@NullMarked
package dev.vask.platform.users;

import org.jspecify.annotations.NullMarked;
