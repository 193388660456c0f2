/** The runnable Vask: the main class and the wiring of all roles in one process. */
@NullMarked
package dev.vask.server;

import org.jspecify.annotations.NullMarked;
