package dev.vask.dashboard.web;

/**
 * What the pages need to know before anyone signs in, served as {@code /dashboard/settings.json}.
 *
 * @param signupEnabled whether the sign-in page offers to create an account ({@code VASK_SIGNUP_ENABLED})
 */
record DashboardSettings(boolean signupEnabled) {
}
