/** Accounts: the people who sign in to the dashboard and the management API. */
@NullMarked
package dev.vask.platform.account;

import org.jspecify.annotations.NullMarked;
