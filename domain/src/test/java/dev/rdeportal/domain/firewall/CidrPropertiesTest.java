package dev.rdeportal.domain.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The CIDR matcher against an arithmetic oracle, for IPv4 and IPv6. */
class CidrPropertiesTest {

    @Provide
    Arbitrary<byte[]> ipv4() {
        return Arbitraries.bytes().array(byte[].class).ofSize(4);
    }

    @Provide
    Arbitrary<byte[]> ipv6() {
        // Not IPv4-mapped: the JDK (and so the portal) treats those as IPv4 addresses.
        return Arbitraries.bytes().array(byte[].class).ofSize(16).filter(b -> !isV4Mapped(b));
    }

    @Property
    void aNetworkContainsExactlyTheAddressesThatShareItsPrefixV4(@ForAll("ipv4") byte[] network,
                                                                @ForAll("ipv4") byte[] address,
                                                                @ForAll @IntRange(min = 0, max = 32) int prefix) {
        checkAgainstOracle(network, address, prefix);
    }

    @Property
    void aNetworkContainsExactlyTheAddressesThatShareItsPrefixV6(@ForAll("ipv6") byte[] network,
                                                                @ForAll("ipv6") byte[] address,
                                                                @ForAll @IntRange(min = 0, max = 128) int prefix) {
        checkAgainstOracle(network, address, prefix);
    }

    @Property
    void aNetworkContainsEveryAddressItWasMadeFromV4(@ForAll("ipv4") byte[] address,
                                                     @ForAll @IntRange(min = 0, max = 32) int prefix) {
        Cidr cidr = Cidr.parse(IpAddress.format(Cidr.mask(address, prefix)) + "/" + prefix);
        assertThat(cidr.contains(address)).isTrue();
        assertThat(cidr.contains(IpAddress.format(address))).isTrue();
    }

    @Property
    void aNetworkContainsEveryAddressItWasMadeFromV6(@ForAll("ipv6") byte[] address,
                                                     @ForAll @IntRange(min = 0, max = 128) int prefix) {
        Cidr cidr = Cidr.parse(IpAddress.format(Cidr.mask(address, prefix)) + "/" + prefix);
        assertThat(cidr.contains(address)).isTrue();
        assertThat(cidr.contains(IpAddress.format(address))).isTrue();
    }

    @Property
    void flippingABitInsideThePrefixLeavesTheNetwork(@ForAll("ipv6") byte[] address,
                                                     @ForAll @IntRange(min = 1, max = 128) int prefix,
                                                     @ForAll @IntRange(min = 0, max = 127) int bit) {
        Assume.that(bit < prefix);
        Cidr cidr = Cidr.parse(IpAddress.format(Cidr.mask(address, prefix)) + "/" + prefix);
        byte[] flipped = address.clone();
        flipped[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        Assume.that(!isV4Mapped(flipped));
        assertThat(cidr.contains(flipped)).isFalse();
    }

    @Property
    void theCanonicalTextParsesBackToTheSameNetwork(@ForAll("ipv6") byte[] address,
                                                    @ForAll @IntRange(min = 0, max = 128) int prefix) {
        Cidr cidr = Cidr.parse(IpAddress.format(Cidr.mask(address, prefix)) + "/" + prefix);
        assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
        assertThat(Cidr.parse(cidr.toString().toUpperCase())).isEqualTo(cidr);
    }

    @Property
    void familiesNeverMatchEachOther(@ForAll("ipv4") byte[] v4, @ForAll("ipv6") byte[] v6,
                                     @ForAll @IntRange(min = 0, max = 32) int prefix) {
        Cidr v4Network = Cidr.parse(IpAddress.format(Cidr.mask(v4, prefix)) + "/" + prefix);
        Cidr v6Network = Cidr.parse(IpAddress.format(Cidr.mask(v6, prefix)) + "/" + prefix);
        assertThat(v4Network.contains(v6)).isFalse();
        assertThat(v6Network.contains(v4)).isFalse();
    }

    @Property
    void addressesSurviveFormattingAndParsing(@ForAll @Size(16) byte[] address) {
        Assume.that(!isV4Mapped(address));
        assertThat(IpAddress.parse(IpAddress.format(address))).hasValueSatisfying(
                parsed -> assertThat(parsed).isEqualTo(address));
    }

    private static void checkAgainstOracle(byte[] network, byte[] address, int prefix) {
        byte[] masked = Cidr.mask(network, prefix);
        Cidr cidr = Cidr.parse(IpAddress.format(masked) + "/" + prefix);
        int bits = network.length * 8;
        boolean expected = new BigInteger(1, masked).shiftRight(bits - prefix)
                .equals(new BigInteger(1, address).shiftRight(bits - prefix));
        assertThat(cidr.contains(address)).isEqualTo(expected);
        assertThat(cidr.prefixLength()).isEqualTo(prefix);
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
