/**
 * Personal access tokens for the management API: created by a signed-in account with a name, scopes
 * ({@code read}, {@code write}) and an optional expiry; shown once, stored as a hash, revocable.
 */
@NullMarked
package dev.vask.platform.token;

import org.jspecify.annotations.NullMarked;
