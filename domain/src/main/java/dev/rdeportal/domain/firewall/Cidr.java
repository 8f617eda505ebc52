package dev.rdeportal.domain.firewall;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. A bare address is
 * a single host ({@code /32} or {@code /128}). A network whose address has bits set past its prefix
 * ({@code 10.0.0.1/8}) is refused rather than silently widened: it is usually a typo, and the
 * author should see which network they meant. IPv4 networks match only IPv4 addresses and IPv6 only
 * IPv6 (an IPv4-mapped IPv6 client address counts as IPv4, see {@link IpAddress}).
 */
public final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses a network, or explains in words why it is not one (for a 400 the author can act on). */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a network is required, such as 10.0.0.0/8 or 2001:db8::/32");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        String addressText = slash < 0 ? s : s.substring(0, slash);
        byte[] address = IpAddress.parse(addressText).orElseThrow(() -> new IllegalArgumentException(
                "'" + printable(addressText) + "' is not an IPv4 or IPv6 address"));
        if (slash >= 0 && addressText.contains(":") && address.length == 4) {
            throw new IllegalArgumentException("'" + printable(s) + "' is an IPv4-mapped IPv6 network; write it as IPv4");
        }
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String prefixText = s.substring(slash + 1);
            if (!prefixText.matches("\\d{1,3}") || (prefix = Integer.parseInt(prefixText)) > max) {
                throw new IllegalArgumentException("the prefix length of '" + printable(s) + "' must be 0 to " + max);
            }
        }
        byte[] masked = mask(address, prefix);
        if (!Arrays.equals(masked, address)) {
            throw new IllegalArgumentException("'" + printable(s) + "' has bits set past its prefix; the network is "
                    + IpAddress.format(masked) + "/" + prefix);
        }
        return new Cidr(masked, prefix);
    }

    /** Like {@link #parse} but empty instead of an explanation. */
    public static Optional<Cidr> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(address, prefixLength), network);
    }

    public boolean contains(String address) {
        return IpAddress.parse(address).map(this::contains).orElse(false);
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bitsHere)));
        }
        return out;
    }

    private static String printable(String s) {
        String shown = s.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 60 ? shown.substring(0, 60) + "…" : shown;
    }

    /** Canonical form: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return IpAddress.format(network) + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }
}
