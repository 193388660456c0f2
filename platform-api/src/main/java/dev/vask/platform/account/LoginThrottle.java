package dev.vask.platform.account;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.vask.platform.management.ManagementProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Slows down password guessing across every node (the counts live in Postgres, table
 * {@code login_throttle}), per (account, client address) pair and per client address. There is no
 * lock per account alone: failures from one address lock that address out of that account, and
 * never the owner signing in from another address with the right password. See
 * {@link ManagementProperties.Login} for the numbers.
 *
 * <p>The client address is the connection's remote address. Behind a reverse proxy that is the
 * proxy's: name the proxy in {@code vask.trusted-proxies} ({@code VASK_TRUSTED_PROXIES}) so that its
 * {@code X-Forwarded-For} counts, and only its. IPv6 clients are counted per
 * /64 network, since one host usually has a whole /64 to pick addresses from.
 */
@Component
public class LoginThrottle {

    private final DatabaseClient database;
    private final ManagementProperties.Login settings;

    public LoginThrottle(DatabaseClient database, ManagementProperties properties) {
        this.database = database;
        this.settings = properties.login();
    }

    /**
     * The subjects a sign-in attempt counts against: the (account, address) pair, and the address.
     *
     * @param pair {@code pair:<lower-case email>|<address>}
     * @param address {@code address:<address>}, or null when the client's address is unknown
     */
    public record Subjects(String pair, @Nullable String address) {

        List<String> all() {
            List<String> all = new ArrayList<>(2);
            all.add(pair);
            if (address != null) {
                all.add(address);
            }
            return all;
        }
    }

    public static Subjects subjects(String email, @Nullable InetSocketAddress client) {
        InetAddress address = client == null ? null : address(client);
        String network = address == null ? "unknown" : network(address);
        return new Subjects(pairPrefix(email) + network, address == null ? null : "address:" + network);
    }

    /** The client's address as throttling counts it (IPv6: its /64), or null when unknown. */
    static @Nullable String clientNetwork(@Nullable InetSocketAddress client) {
        InetAddress address = client == null ? null : address(client);
        return address == null ? null : network(address);
    }

    /** The start of every pair subject of this account. */
    static String pairPrefix(String email) {
        String account = EmailAddress.normalize(email).toLowerCase(Locale.ROOT);
        return "pair:" + (account.length() > 254 ? account.substring(0, 254) : account) + "|";
    }

    /** The client's IP; forwarded addresses arrive unresolved, as text, and are parsed without any DNS lookup. */
    private static @Nullable InetAddress address(InetSocketAddress client) {
        if (client.getAddress() != null) {
            return client.getAddress();
        }
        String host = client.getHostString();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return InetAddress.ofLiteral(host);
        }
        catch (IllegalArgumentException notAnIp) {
            return null;
        }
    }

    private static String network(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            return String.format("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", bytes[0], bytes[1], bytes[2], bytes[3],
                    bytes[4], bytes[5], bytes[6], bytes[7]);
        }
        return address.getHostAddress();
    }

    /** How long the longer of the two locks still lasts; empty when neither subject is locked. */
    public Mono<Duration> lockedFor(Subjects subjects) {
        return database.sql("select extract(epoch from locked_until - now()) as seconds from login_throttle "
                        + "where subject = any(:subjects) and locked_until > now() order by locked_until desc limit 1")
                .bind("subjects", subjects.all().toArray(String[]::new))
                .map(row -> row.get("seconds", java.math.BigDecimal.class))
                .one()
                .map(seconds -> Duration.ofMillis(Math.max(1, seconds.movePointRight(3).longValue())));
    }

    /** Counts a failed attempt against both subjects and locks those over their threshold. */
    public Mono<Void> failed(Subjects subjects) {
        Mono<Void> pair = fail(subjects.pair(), settings.accountFailures());
        Mono<Void> address = subjects.address() == null ? Mono.empty() : fail(subjects.address(), settings.addressFailures());
        return pair.then(address);
    }

    /** A successful sign-in forgets the pair's failures (not the address's: one good account must not unlock guessing at others). */
    public Mono<Void> succeeded(Subjects subjects) {
        return database.sql("delete from login_throttle where subject = :subject")
                .bind("subject", subjects.pair())
                .then();
    }

    /** Forgets every pair of the account (its password was just reset by the holder of the address). */
    public Mono<Void> forgetAccount(String email) {
        String prefix = pairPrefix(email);
        return database.sql("delete from login_throttle where left(subject, :length) = :prefix")
                .bind("length", prefix.length())
                .bind("prefix", prefix)
                .then();
    }

    private Mono<Void> fail(String subject, int threshold) {
        return database.sql("""
                        insert into login_throttle as t (subject, failures, last_failure_at) values (:subject, 1, now())
                        on conflict (subject) do update set
                            failures = case when t.last_failure_at < now() - make_interval(secs => :window) then 1 else t.failures + 1 end,
                            last_failure_at = now()
                        returning failures""")
                .bind("subject", subject)
                .bind("window", (double) settings.window().toMillis() / 1000)
                .map(row -> row.get("failures", Integer.class))
                .one()
                .flatMap(failures -> failures < threshold ? Mono.empty()
                        : database.sql("update login_throttle set locked_until = now() + make_interval(secs => :seconds) where subject = :subject")
                                .bind("seconds", lockSeconds(failures - threshold))
                                .bind("subject", subject)
                                .then());
    }

    /** firstLock doubled for every failure past the threshold, at most maxLock. */
    double lockSeconds(int failuresPastThreshold) {
        double first = settings.firstLock().toMillis() / 1000.0;
        double max = settings.maxLock().toMillis() / 1000.0;
        return Math.min(max, first * Math.pow(2, Math.min(failuresPastThreshold, 40)));
    }

    /** Rows of subjects that have been quiet for a whole window are dropped (called on sign-in). */
    public Mono<Void> forgetQuiet() {
        return database.sql("delete from login_throttle where last_failure_at < now() - make_interval(secs => :window) "
                        + "and (locked_until is null or locked_until < now())")
                .bind("window", (double) settings.window().toMillis() / 1000)
                .then();
    }
}
