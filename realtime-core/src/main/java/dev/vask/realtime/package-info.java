/**
 * realtime-core: the Pusher Channels protocol 7 over WebSockets. Knows tenants only through
 * {@link dev.vask.realtime.app.AppDirectory}; no database.
 */
@NullMarked
package dev.vask.realtime;

import org.jspecify.annotations.NullMarked;
