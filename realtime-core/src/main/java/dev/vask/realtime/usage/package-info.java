/** Per-app usage as realtime sees it, reported to {@link dev.vask.realtime.usage.UsageRecorder}. */
@NullMarked
package dev.vask.realtime.usage;

import org.jspecify.annotations.NullMarked;
