package dev.rdeportal.domain.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void networksAreWrittenCanonically() {
        assertThat(Cidr.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("2001:DB8:0:0::/32")).hasToString("2001:db8::/32");
        assertThat(Cidr.parse("192.0.2.7")).hasToString("192.0.2.7/32");
        assertThat(Cidr.parse("::1")).hasToString("::1/128");
        assertThat(Cidr.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
        assertThat(Cidr.parse("::/0").contains("2001:db8::1")).isTrue();
        assertThat(Cidr.parse("::/0").contains("203.0.113.9")).isFalse();
    }

    @Test
    void anIpv4MappedClientAddressMatchesIpv4Rules() {
        assertThat(Cidr.parse("192.0.2.0/24").contains("::ffff:192.0.2.1")).isTrue();
    }

    @Test
    void badNetworksAreRefusedWithAReason() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8")).hasMessageContaining("the network is 10.0.0.0/8");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::/129")).hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/-1")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Cidr.parse("::ffff:10.0.0.0/104")).hasMessageContaining("write it as IPv4");
        assertThatThrownBy(() -> Cidr.parse("")).hasMessageContaining("required");
        assertThatThrownBy(() -> Cidr.parse(null)).hasMessageContaining("required");
    }

    @Test
    void onlyLiteralsAreAddressesAndNothingIsResolved() {
        for (String notAnAddress : new String[] {"localhost", "example.com", "010.0.0.1", "10.1", "167772161",
                "256.0.0.1", "1.2.3.4.5", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "::g", " ", "[::1"}) {
            assertThat(IpAddress.parse(notAnAddress)).as(notAnAddress).isEmpty();
        }
        assertThat(IpAddress.parse("[2001:db8::1]")).isPresent();
    }
}
