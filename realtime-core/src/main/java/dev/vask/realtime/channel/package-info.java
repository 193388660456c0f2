/** Channel names: validation and what each prefix means. */
@NullMarked
package dev.vask.realtime.channel;

import org.jspecify.annotations.NullMarked;
