package dev.vask.platform.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The trusted proxy list: single addresses and CIDR blocks, IPv4 and IPv6, and clear refusals of anything else. */
class TrustedProxiesTests {

    @Test
    void addressesAndBlocksOfBothFamiliesMatchExactlyTheirAddresses() {
        TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.7", "fd00:1::/32", "172.16.0.0/12"));

        assertThat(proxies.trusts(ip("10.255.3.4"))).isTrue();
        assertThat(proxies.trusts(ip("11.0.0.1"))).isFalse();
        assertThat(proxies.trusts(ip("192.168.1.7"))).isTrue();
        assertThat(proxies.trusts(ip("192.168.1.8"))).isFalse();
        assertThat(proxies.trusts(ip("172.31.255.255"))).isTrue();
        assertThat(proxies.trusts(ip("172.32.0.0"))).isFalse();
        assertThat(proxies.trusts(ip("fd00:1:ffff::1"))).isTrue();
        assertThat(proxies.trusts(ip("fd00:2::1"))).isFalse();
        assertThat(proxies.trusts(ip("::ffff:10.1.2.3"))).as("an IPv4 peer on a dual-stack socket").isTrue();
        assertThat(proxies.trusts((InetSocketAddress) null)).isFalse();
        assertThat(proxies.trusts(InetSocketAddress.createUnresolved("10.0.0.1", 80))).as("never resolved, never trusted").isFalse();
    }

    @Test
    void anEmptyListTrustsNobody() {
        TrustedProxies none = new TrustedProxies(List.of());

        assertThat(none.isEmpty()).isTrue();
        assertThat(none.trusts(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedNamingTheEntry() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("proxy.internal")))
                .withMessageContaining("'proxy.internal' is not an IP address or CIDR block");
        assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33")))
                .withMessageContaining("'10.0.0.0/33' has a prefix length outside 0 to 32");
        assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/x")))
                .withMessageContaining("'10.0.0.0/x'");
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
