/** Limits that hold for a whole app, whatever the number of nodes: the {@link dev.vask.realtime.limits.ConnectionQuota} seam. */
@NullMarked
package dev.vask.realtime.limits;

import org.jspecify.annotations.NullMarked;
