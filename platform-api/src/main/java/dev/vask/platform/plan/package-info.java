/**
 * Plans: the ceilings an operator sets per tenant (connections, message size, messages per day and
 * client events per second of each app, and the number of apps), the default plan of the
 * configuration, and the caps on what one account may create.
 */
@NullMarked
package dev.vask.platform.plan;

import org.jspecify.annotations.NullMarked;
