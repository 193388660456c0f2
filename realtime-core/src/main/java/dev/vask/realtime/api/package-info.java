/**
 * What the HTTP API uses of realtime: the one publish path ({@link dev.vask.realtime.api.RealtimeEvents}),
 * channel state ({@link dev.vask.realtime.api.ChannelQueries}) and user connections.
 */
@NullMarked
package dev.vask.realtime.api;

import org.jspecify.annotations.NullMarked;
