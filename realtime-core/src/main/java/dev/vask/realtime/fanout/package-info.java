/** Fan-out: the {@link dev.vask.realtime.fanout.Bus} between publishing and local delivery. */
@NullMarked
package dev.vask.realtime.fanout;

import org.jspecify.annotations.NullMarked;
