/**
 * The dashboard, served by the {@code dashboard} role under {@code /dashboard}: a single-page
 * application of static files (HTML, ES modules, CSS) that signs in and reads and changes everything
 * through the management API ({@code /api/v1}) with the session cookie. This module serves those
 * files with their security headers and keeps no state of its own.
 */
@NullMarked
package dev.vask.dashboard;

import org.jspecify.annotations.NullMarked;
