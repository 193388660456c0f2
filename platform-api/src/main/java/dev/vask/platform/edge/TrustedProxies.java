package dev.vask.platform.edge;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The reverse proxies whose forwarded headers Vask believes: IP addresses and CIDR blocks, IPv4 or
 * IPv6, such as {@code 10.0.0.0/8, 192.168.1.7, fd00::/8}. Host names are refused: a proxy is known
 * by the address its connections come from, and resolving names per request would block.
 */
public final class TrustedProxies {

    private final List<Block> blocks;

    /** Parses the operator's list; a malformed entry stops start-up with a message naming it. */
    public TrustedProxies(List<String> entries) {
        this.blocks = entries.stream().map(Block::parse).toList();
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether a connection from this peer comes from a trusted proxy (false for an unknown peer). */
    public boolean trusts(@Nullable InetSocketAddress peer) {
        return peer != null && peer.getAddress() != null && trusts(peer.getAddress());
    }

    public boolean trusts(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return blocks.toString();
    }

    /** One address block: the network's bytes and how many leading bits of an address must match them. */
    private record Block(byte[] network, int prefixBits, String text) {

        static Block parse(String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network;
            try {
                network = InetAddress.ofLiteral(address).getAddress();
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vask.trusted-proxies: '" + entry + "' is not an IP address or CIDR block "
                        + "(such as 10.0.0.0/8 or 192.168.1.7); host names are not accepted", e);
            }
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                }
                catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("vask.trusted-proxies: '" + entry + "' has a prefix length outside 0 to " + bits);
                }
            }
            return new Block(network, prefix, entry);
        }

        boolean contains(byte[] address) {
            byte[] candidate = address;
            if (candidate.length != network.length) {
                candidate = ipv4MappedToIpv4(candidate);
                if (candidate == null || candidate.length != network.length) {
                    return false;
                }
            }
            int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[whole] & mask) == (network[whole] & mask);
        }

        /** ::ffff:a.b.c.d as a.b.c.d, which is how a dual-stack socket reports an IPv4 peer. */
        private static byte @Nullable [] ipv4MappedToIpv4(byte[] address) {
            if (address.length != 16) {
                return null;
            }
            for (int i = 0; i < 10; i++) {
                if (address[i] != 0) {
                    return null;
                }
            }
            if (address[10] != (byte) 0xFF || address[11] != (byte) 0xFF) {
                return null;
            }
            return new byte[] {address[12], address[13], address[14], address[15]};
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
