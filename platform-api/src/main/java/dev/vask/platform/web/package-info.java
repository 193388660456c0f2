/** Cross-cutting web concerns of the platform: security filter chains and error bodies. */
@NullMarked
package dev.vask.platform.web;

import org.jspecify.annotations.NullMarked;
