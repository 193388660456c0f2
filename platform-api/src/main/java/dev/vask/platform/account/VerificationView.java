package dev.vask.platform.account;

/**
 * The outcome of following a verification link.
 *
 * @param email the address that is now verified
 * @param emailVerified always true
 */
public record VerificationView(String email, boolean emailVerified) {
}
