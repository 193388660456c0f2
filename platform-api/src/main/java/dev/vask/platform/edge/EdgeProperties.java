package dev.vask.platform.edge;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How clients reach Vask ({@code vask.public-url} and {@code vask.trusted-proxies}; the operators'
 * variables are {@code VASK_PUBLIC_URL} and {@code VASK_TRUSTED_PROXIES}, see docs/configuration.md).
 *
 * @param publicUrl the URL clients reach Vask at, such as {@code https://realtime.example.com} (default:
 *        none, which means {@code http://localhost:{port}}); an {@code https} URL makes every cookie
 *        {@code Secure}
 * @param trustedProxies addresses or CIDR blocks of the reverse proxies in front of Vask (default: none).
 *        Only requests whose direct peer is one of them have their {@code Forwarded} and
 *        {@code X-Forwarded-*} headers applied; everyone else's are removed unread
 */
@ConfigurationProperties("vask")
public record EdgeProperties(@Nullable String publicUrl, @DefaultValue List<String> trustedProxies) {

    /** Checks both at binding, so that a wrong value stops start-up with a message naming the setting. */
    public EdgeProperties {
        PublicUrl.parse(publicUrl);
        trustedProxies = trustedProxies.stream().map(String::strip).filter(proxy -> !proxy.isEmpty()).toList();
        new TrustedProxies(trustedProxies);
    }
}
