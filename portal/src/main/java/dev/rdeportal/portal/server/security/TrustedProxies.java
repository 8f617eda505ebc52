package dev.rdeportal.portal.server.security;

import dev.rdeportal.domain.firewall.Cidr;
import dev.rdeportal.domain.firewall.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which client address to believe. The socket's peer is the truth unless it is one of our own
 * proxies ({@code rde.security.trusted-proxies}); then {@code X-Forwarded-For} is read from the
 * right, where our proxies appended what they saw, skipping hops that are themselves trusted
 * proxies. The first untrusted hop is the client: everything left of it was written by the client
 * and may be forged. A hop that is not an address stops the walk at the last hop we could vouch for.
 */
public final class TrustedProxies {

    /** More hops than this are not walked: no real chain of our own proxies is that long. */
    static final int MAX_HOPS = 32;

    private final List<Cidr> networks;

    public TrustedProxies(List<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            try {
                parsed.add(Cidr.parse(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rde.security.trusted-proxies: " + e.getMessage(), e);
            }
        }
        this.networks = List.copyOf(parsed);
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    public boolean trusts(String address) {
        Optional<byte[]> bytes = IpAddress.parse(address);
        return bytes.isPresent() && networks.stream().anyMatch(n -> n.contains(bytes.get()));
    }

    /**
     * @param socketPeer     the TCP peer's address ({@code null} when unknown)
     * @param forwardedFor   every {@code X-Forwarded-For} header in order; each may hold a list
     * @return the client's address, canonical ({@code 2001:db8::1}), or {@code unknown}
     */
    public String clientAddress(String socketPeer, List<String> forwardedFor) {
        String current = canonical(socketPeer).orElse(null);
        if (current == null) {
            return "unknown";
        }
        if (!trusts(current) || forwardedFor == null || forwardedFor.isEmpty()) {
            return current;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        for (int i = hops.size() - 1, walked = 0; i >= 0 && walked < MAX_HOPS; i--, walked++) {
            Optional<String> hop = canonical(stripPort(hops.get(i)));
            if (hop.isEmpty()) {
                return current;
            }
            current = hop.get();
            if (!trusts(current)) {
                return current;
            }
        }
        return current;
    }

    private static Optional<String> canonical(String address) {
        if (address == null) {
            return Optional.empty();
        }
        // A link-local socket address carries its zone (fe80::1%eth0): the zone is not the client.
        int zone = address.indexOf('%');
        return IpAddress.parse(zone < 0 ? address : address.substring(0, zone)).map(IpAddress::format);
    }

    /** {@code 192.0.2.1:4711} and {@code [2001:db8::1]:4711}, which some proxies write, lose the port. */
    static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
