package dev.vask.platform.edge;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;

/**
 * Applies {@code Forwarded} and {@code X-Forwarded-*} headers (scheme, host, port, prefix, client address)
 * only to requests whose direct peer is a trusted proxy; from anyone else they are removed unread, so no
 * later code can be fooled by them. Registered as the {@code forwardedHeaderTransformer} bean when
 * {@code vask.trusted-proxies} is set, which replaces Spring's trust-everyone variant.
 *
 * <p>The client address is the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy:
 * each proxy appends the address it received the request from, so entries further left were written by
 * whoever sent the request and prove nothing.
 */
final class TrustedForwardedHeaders extends ForwardedHeaderTransformer {

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private final TrustedProxies proxies;
    private final ForwardedHeaderTransformer removeOnly = new ForwardedHeaderTransformer();

    TrustedForwardedHeaders(TrustedProxies proxies) {
        this.proxies = proxies;
        this.removeOnly.setRemoveOnly(true);
    }

    @Override
    public ServerHttpRequest apply(ServerHttpRequest request) {
        if (!hasForwardedHeaders(request)) {
            return request;
        }
        if (!proxies.trusts(request.getRemoteAddress())) {
            return removeOnly.apply(request);
        }
        List<String> chain = request.getHeaders().getValuesAsList(X_FORWARDED_FOR);
        if (chain.size() > 1 || chain.size() == 1 && chain.getFirst().contains(",")) {
            String client = client(chain);
            request = request.mutate().headers(headers -> setOrRemove(headers, client)).build();
        }
        return super.apply(request);
    }

    /** The right-most entry that is not a trusted proxy (the left-most when every one is). */
    private @Nullable String client(List<String> chain) {
        List<String> entries = new ArrayList<>();
        chain.forEach(value -> {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        });
        for (int i = entries.size() - 1; i >= 0; i--) {
            InetAddress address = literal(entries.get(i));
            if (address == null || !proxies.trusts(address)) {
                return address == null ? null : entries.get(i);
            }
        }
        return entries.isEmpty() ? null : entries.getFirst();
    }

    private static void setOrRemove(HttpHeaders headers, @Nullable String client) {
        if (client == null) {
            headers.remove(X_FORWARDED_FOR);
        }
        else {
            headers.set(X_FORWARDED_FOR, client);
        }
    }

    /** An address as proxies write it (IPv6 may come in brackets); null for anything else. */
    private static @Nullable InetAddress literal(String entry) {
        String address = entry.startsWith("[") && entry.endsWith("]") ? entry.substring(1, entry.length() - 1) : entry;
        try {
            return InetAddress.ofLiteral(address);
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }
}
