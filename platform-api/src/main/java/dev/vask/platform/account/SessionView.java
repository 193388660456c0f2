package dev.vask.platform.account;

import java.time.Instant;

/**
 * The signed-in session.
 *
 * @param account who is signed in
 * @param expiresAt when the session ends (sign in again then)
 * @param csrfToken this session's CSRF token: send it as {@code X-XSRF-TOKEN} with every POST, PATCH, PUT
 *        and DELETE made with the session cookie (a copy is in the {@code XSRF-TOKEN} cookie, named
 *        {@code __Host-XSRF-TOKEN} over HTTPS); a new sign-in brings a new one
 */
public record SessionView(AccountView account, Instant expiresAt, String csrfToken) {
}
