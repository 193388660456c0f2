/**
 * Tenant configuration as realtime sees it: {@link dev.vask.realtime.app.AppDirectory} and the
 * immutable {@link dev.vask.realtime.app.AppConfig} it returns.
 */
@NullMarked
package dev.vask.realtime.app;

import org.jspecify.annotations.NullMarked;
