package dev.vask.platform.push;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The SSRF guard: a push endpoint is a URL a tenant's user hands Vask, and Vask POSTs to it. Only https URLs
 * whose host resolves to public addresses only are accepted (no loopback, private, link-local, unique local,
 * shared, multicast or unspecified address, IPv4 or IPv6), at registration and again before every send, since
 * DNS may change. Hosts in {@code vask.push.allowed-hosts} are exempt and may use http (tests, benchmarks).
 * Verdicts of the address check are kept for a minute; the addresses each connection opens to are checked again
 * ({@link #connectable}), so a name that turns private after its check still reaches no private address.
 */
public final class PushEndpoints {

    static final int MAX_LENGTH = 2048;
    private static final Duration VERDICT_TTL = Duration.ofMinutes(1);

    private final Set<String> allowedHosts;
    private final Cache<String, String> verdicts = Caffeine.newBuilder().expireAfterWrite(VERDICT_TTL).maximumSize(10_000).build();

    public PushEndpoints(List<String> allowedHosts) {
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    /**
     * Checks the URL's form: absolute https (or http for an allowed host), a host, no user info, at most 2048 characters.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public URI parse(String endpoint) {
        if (endpoint.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("endpoint is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        }
        catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint must be an absolute https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("endpoint must not carry user info");
        }
        boolean allowed = allowed(uri);
        if (!scheme.equals("https") && !(allowed && scheme.equals("http"))) {
            throw new IllegalArgumentException("endpoint must be an https URL");
        }
        return uri;
    }

    /** Completes when the host is allowed or resolves to public addresses only; errors with IllegalArgumentException otherwise. */
    public Mono<Void> checkAddresses(URI endpoint) {
        if (allowed(endpoint)) {
            return Mono.empty();
        }
        String host = bareHost(endpoint);
        String cached = verdicts.getIfPresent(host);
        if (cached != null) {
            return cached.isEmpty() ? Mono.empty() : Mono.error(new IllegalArgumentException(cached));
        }
        // name resolution blocks: it runs off the event loops
        return Mono.fromCallable(() -> verdict(host))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(verdict -> {
                    verdicts.put(host, verdict);
                    return verdict.isEmpty() ? Mono.<Void>empty() : Mono.error(new IllegalArgumentException(verdict));
                });
    }

    /**
     * The connect-time half of the guard: of the addresses a host resolved to for a connection about to open, the ones
     * it may open to: all of them when they are all public (or the host is allowed), none otherwise, which fails the
     * connection before it starts. The check before each send may have seen another answer (DNS rebinding, or a
     * verdict kept for a minute); this one sees the addresses actually used.
     */
    public List<? extends SocketAddress> connectable(List<? extends SocketAddress> resolved) {
        for (SocketAddress address : resolved) {
            if (!(address instanceof InetSocketAddress inet) || (!allowedHosts.contains(inet.getHostString().toLowerCase(Locale.ROOT))
                    && (inet.getAddress() == null || !isPublic(inet.getAddress())))) {
                return List.of();
            }
        }
        return resolved;
    }

    /** Whether the host is allowed or already known to resolve to public addresses only: the check passes without a Mono. */
    public boolean knownSafe(URI endpoint) {
        return allowed(endpoint) || "".equals(verdicts.getIfPresent(bareHost(endpoint)));
    }

    private boolean allowed(URI uri) {
        return uri.getHost() != null && allowedHosts.contains(bareHost(uri));
    }

    private static String bareHost(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Empty when every address is public, else why not. */
    private static String verdict(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        }
        catch (UnknownHostException e) {
            return "endpoint host " + host + " does not resolve";
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return "endpoint host " + host + " resolves to a non-public address (" + address.getHostAddress() + ")";
            }
        }
        return "";
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                   // 0.0.0.0/8 "this network"
                    && !(first == 100 && second >= 64 && second < 128)  // 100.64.0.0/10 shared (CGNAT)
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
                    && !(first == 198 && (second == 18 || second == 19))   // 198.18.0.0/15 benchmarking
                    && first < 240;                              // 240.0.0.0/4 reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {                         // fc00::/7 unique local
                return false;
            }
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) { // fec0::/10 deprecated site-local
                return false;
            }
            boolean mapped = true;                               // ::ffff:a.b.c.d and the deprecated ::a.b.c.d
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                }
                catch (UnknownHostException impossible) {
                    return false;
                }
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false;                                    // 2001:db8::/32 documentation
            }
        }
        return true;
    }
}
