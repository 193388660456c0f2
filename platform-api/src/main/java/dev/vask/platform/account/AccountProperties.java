package dev.vask.platform.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of accounts on a hosted Vask ({@code vask.accounts.*}; the {@code VASK_*} variables that set
 * them are in docs/configuration.md).
 *
 * @param verificationLifetime how long a verification link works (default 48 h)
 * @param invitationLifetime how long an invitation stays open (default 7 days)
 * @param resetLifetime how long a password-reset link works (default 1 h)
 * @param mailInterval the shortest time between two mails of one kind to one account (default 1 min)
 * @param signupsPerAddress sign-ups from one client address per {@code signupWindow} ({@code VASK_SIGNUPS_PER_ADDRESS}, default 10)
 * @param signupWindow the window sign-ups are counted in ({@code VASK_SIGNUP_WINDOW}, default 1 h)
 * @param resetsPerAddress password-reset requests from one client address per {@code signupWindow} (default 10)
 */
@ConfigurationProperties("vask.accounts")
public record AccountProperties(@DefaultValue("48h") Duration verificationLifetime, @DefaultValue("7d") Duration invitationLifetime,
        @DefaultValue("1h") Duration resetLifetime, @DefaultValue("1m") Duration mailInterval,
        @DefaultValue("10") int signupsPerAddress, @DefaultValue("1h") Duration signupWindow, @DefaultValue("10") int resetsPerAddress) {

    public AccountProperties {
        for (Duration lifetime : new Duration[] {verificationLifetime, invitationLifetime, resetLifetime, signupWindow}) {
            if (lifetime.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("vask.accounts: lifetimes and windows must be at least 1m, not " + lifetime);
            }
        }
        if (mailInterval.isNegative()) {
            throw new IllegalArgumentException("vask.accounts.mail-interval must not be negative");
        }
        if (signupsPerAddress < 1 || resetsPerAddress < 1) {
            throw new IllegalArgumentException("vask.accounts: signups-per-address and resets-per-address must be at least 1");
        }
    }
}
