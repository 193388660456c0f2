package dev.vask.platform.management;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the management API ({@code vask.management.*}; the environment variables operators use,
 * such as {@code VASK_SIGNUP_ENABLED}, are listed in docs/management-api.md).
 *
 * @param signupEnabled whether anyone may create an account with {@code POST /api/v1/accounts}
 *        (default true; set false on a private instance and add members by invitation only)
 * @param sessionLifetime how long a sign-in lasts (default 7 days); the session cookie expires with it
 * @param maxRequestSize the largest request body the API reads (default 64 KB; larger answers 413)
 * @param login sign-in throttling
 */
@ConfigurationProperties("vask.management")
public record ManagementProperties(@DefaultValue("true") boolean signupEnabled,
        @DefaultValue("7d") Duration sessionLifetime,
        @DefaultValue("64KB") DataSize maxRequestSize,
        @DefaultValue Login login) {

    public ManagementProperties {
        if (sessionLifetime.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("vask.management.session-lifetime must be at least 1m, not " + sessionLifetime);
        }
        if (maxRequestSize.toBytes() < 1024) {
            throw new IllegalArgumentException("vask.management.max-request-size must be at least 1KB, not " + maxRequestSize);
        }
    }

    /**
     * Sign-in throttling. Failed attempts are counted per (account, client address) pair and per client
     * address within {@code window}; from the {@code accountFailures}-th (or {@code addressFailures}-th)
     * failure on, the subject is locked for {@code firstLock}, doubling with every further failure up to
     * {@code maxLock}. While locked, even the right password is refused (429 with Retry-After). There is
     * no lock per account alone, so failures from one address never lock the owner out from another.
     *
     * @param accountFailures failures for one account from one address before that pair locks (default 5)
     * @param addressFailures failures per client address before it locks (default 20: several people
     *        may share an address)
     * @param firstLock the first lock (default 1 s)
     * @param maxLock the longest lock (default 15 min)
     * @param window failures older than this are forgotten (default 15 min)
     */
    public record Login(@DefaultValue("5") int accountFailures, @DefaultValue("20") int addressFailures,
            @DefaultValue("1s") Duration firstLock, @DefaultValue("15m") Duration maxLock,
            @DefaultValue("15m") Duration window) {

        public Login {
            if (accountFailures < 1 || addressFailures < 1) {
                throw new IllegalArgumentException("vask.management.login.*-failures must be at least 1");
            }
            if (firstLock.isNegative() || firstLock.isZero() || maxLock.compareTo(firstLock) < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("vask.management.login: first-lock, max-lock and window must be positive, "
                        + "and max-lock at least first-lock");
            }
        }
    }
}
