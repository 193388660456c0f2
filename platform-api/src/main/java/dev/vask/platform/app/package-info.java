/**
 * Apps over the management API: create (the server picks the numeric id), list, read, rename,
 * enable or disable, toggles, limits, delete. Writes are plain SQL in transactions; the V1 triggers
 * announce each change, so every node's app directory applies it within about a second.
 */
@NullMarked
package dev.vask.platform.app;

import org.jspecify.annotations.NullMarked;
