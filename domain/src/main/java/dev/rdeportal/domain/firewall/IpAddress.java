package dev.rdeportal.domain.firewall;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals, parsed without ever asking DNS: a header or a rule that names a host must
 * not make the portal resolve it. IPv4 is the strict dotted quad ({@code 010.1.1.1} and the legacy
 * forms {@code 10.1} or {@code 167772161} are refused, as they are ambiguous); IPv6 is what the JDK
 * accepts for a literal containing a colon, which it never resolves. An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.0.0.1}) is its IPv4 address, as dual-stack sockets report it.
 */
public final class IpAddress {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpAddress() {
    }

    /** The address's bytes (4 or 16), or empty when the text is not an IP literal. */
    public static Optional<byte[]> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (IPV4.matcher(s).matches()) {
            String[] parts = s.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return Optional.of(bytes);
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        // A colon makes the JDK treat it as an IPv6 literal and refuse rather than resolve it; the
        // character check keeps zone ids (%eth0) and anything else out.
        if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(s);
            if (address instanceof Inet6Address || address instanceof Inet4Address) {
                return Optional.of(address.getAddress());
            }
            return Optional.empty();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The canonical text of an address's bytes: {@code 10.0.0.1}, {@code 2001:db8::1}. */
    public static String format(byte[] bytes) {
        try {
            InetAddress address = InetAddress.getByAddress(bytes);
            if (address instanceof Inet6Address) {
                return compress(address.getHostAddress());
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length, e);
        }
    }

    /** RFC 5952: the longest run (of two or more) of zero groups becomes {@code ::}, lower case. */
    private static String compress(String full) {
        String[] groups = full.split(":");
        for (int i = 0; i < groups.length; i++) {
            groups[i] = groups[i].replaceFirst("^0+(?=.)", "").toLowerCase(java.util.Locale.ROOT);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestLength < 2) {
            return String.join(":", groups);
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
