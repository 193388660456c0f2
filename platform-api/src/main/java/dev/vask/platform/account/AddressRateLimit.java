package dev.vask.platform.account;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;

import dev.vask.platform.management.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Counts requests of one kind per client address in fixed windows, across every node
 * ({@code request_counts}): sign-ups and password-reset requests. Over the limit, the request is
 * refused with 429 and a Retry-After until the window ends. The address is the one sign-in
 * throttling uses (IPv6: the /64; behind a proxy, see {@link LoginThrottle}).
 */
@Component
public class AddressRateLimit {

    private final DatabaseClient database;

    public AddressRateLimit(DatabaseClient database) {
        this.database = database;
    }

    /**
     * Counts one request of this kind from the client; errors with 429 {@code too-many-requests} when
     * it is more than {@code max} in the current window. A client without a known address is not counted.
     */
    public Mono<Void> take(String kind, @Nullable InetSocketAddress client, int max, Duration window, String what) {
        String network = LoginThrottle.clientNetwork(client);
        if (network == null) {
            return Mono.empty();
        }
        double seconds = window.toMillis() / 1000.0;
        return database.sql("delete from request_counts where window_started < now() - make_interval(secs => :window)")
                .bind("window", seconds * 2)
                .then()
                .then(database.sql("""
                                insert into request_counts as r (subject, count, window_started) values (:subject, 1, now())
                                on conflict (subject) do update set
                                    count = case when r.window_started <= now() - make_interval(secs => :window) then 1 else r.count + 1 end,
                                    window_started = case when r.window_started <= now() - make_interval(secs => :window) then now()
                                                          else r.window_started end
                                returning count, extract(epoch from window_started + make_interval(secs => :window) - now()) as remaining""")
                        .bind("subject", kind + ":" + network)
                        .bind("window", seconds)
                        .map(row -> new Count(row.get("count", Integer.class), row.get("remaining", BigDecimal.class)))
                        .one())
                .flatMap(count -> count.count() <= max ? Mono.<Void>empty()
                        : Mono.error(ApiException.of(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
                                "Too many requests", "Too many " + what + " from your address; try again later",
                                Duration.ofMillis(Math.max(1000, count.remaining().movePointRight(3).longValue())))));
    }

    private record Count(int count, BigDecimal remaining) {
    }
}
