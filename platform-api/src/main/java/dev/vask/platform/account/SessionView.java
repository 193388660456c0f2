package dev.vask.platform.account;

import java.time.Instant;

/**
 * The signed-in session.
 *
 * @param account who is signed in
 * @param expiresAt when the session ends (sign in again then)
 * @param csrfToken send it as {@code X-XSRF-TOKEN} with every POST, PATCH, PUT and DELETE made with
 *        the session cookie (it is also in the {@code XSRF-TOKEN} cookie)
 */
public record SessionView(AccountView account, Instant expiresAt, String csrfToken) {
}
