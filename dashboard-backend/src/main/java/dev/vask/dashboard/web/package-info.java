/**
 * Serving the dashboard: its files from memory ({@link dev.vask.dashboard.web.DashboardAssets}),
 * the application shell for every page path, the redirect from {@code /dashboard}, the few settings
 * the pages need before sign-in, and the security filter chain with the pages' headers.
 */
@NullMarked
package dev.vask.dashboard.web;

import org.jspecify.annotations.NullMarked;
