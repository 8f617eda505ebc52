package dev.rdeportal.portal.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    static final TrustedProxies PROXIES = new TrustedProxies(List.of("10.0.0.0/8", "::1", "2001:db8:ffff::/48"));

    @Test
    void withoutTrustedProxiesTheSocketIsTheClientWhateverTheHeaderSays() {
        TrustedProxies none = new TrustedProxies(List.of());
        assertThat(none.clientAddress("192.0.2.1", List.of("198.51.100.7"))).isEqualTo("192.0.2.1");
        assertThat(PROXIES.clientAddress("192.0.2.1", List.of("198.51.100.7"))).isEqualTo("192.0.2.1");
    }

    @Test
    void aTrustedProxyNamesTheClient() {
        assertThat(PROXIES.clientAddress("10.0.0.2", List.of("198.51.100.7"))).isEqualTo("198.51.100.7");
        assertThat(PROXIES.clientAddress("10.0.0.2", null)).isEqualTo("10.0.0.2");
    }

    @Test
    void whatTheClientWroteLeftOfTheFirstUntrustedHopIsIgnored() {
        assertThat(PROXIES.clientAddress("10.0.0.2", List.of("10.0.0.99, 1.1.1.1, 198.51.100.7, 10.0.0.5")))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void aChainOfTrustedProxiesIsWalkedToItsStart() {
        assertThat(PROXIES.clientAddress("10.0.0.2", List.of("10.0.0.9", "10.0.0.5"))).isEqualTo("10.0.0.9");
    }

    @Test
    void severalHeadersReadAsOneList() {
        assertThat(PROXIES.clientAddress("10.0.0.2", List.of("1.1.1.1", "198.51.100.7"))).isEqualTo("198.51.100.7");
    }

    @Test
    void aHopThatIsNotAnAddressStopsAtTheLastTrustedOne() {
        assertThat(PROXIES.clientAddress("10.0.0.2", List.of("198.51.100.7, garbage"))).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.2", List.of("evil.example.com, 10.0.0.5"))).isEqualTo("10.0.0.5");
        assertThat(PROXIES.clientAddress("10.0.0.2", List.of("unknown"))).isEqualTo("10.0.0.2");
    }

    @Test
    void ipv6PeersAndHopsWithPortsAreCanonical() {
        assertThat(PROXIES.clientAddress("0:0:0:0:0:0:0:1", List.of("[2001:DB8::7]:443"))).isEqualTo("2001:db8::7");
        assertThat(PROXIES.clientAddress("::1", List.of("2001:db8::7, 2001:db8:ffff::1"))).isEqualTo("2001:db8::7");
        assertThat(PROXIES.clientAddress("::1", List.of("198.51.100.7:5555"))).isEqualTo("198.51.100.7");
        assertThat(PROXIES.clientAddress("fe80:0:0:0:0:0:0:1%2", List.of("198.51.100.7"))).isEqualTo("fe80::1");
    }

    @Test
    void anUnknownPeerIsUnknown() {
        assertThat(PROXIES.clientAddress(null, List.of("198.51.100.7"))).isEqualTo("unknown");
    }

    @Test
    void aBadProxyNetworkFailsTheStartWithItsName() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.1/8")))
                .hasMessageContaining("rde.security.trusted-proxies").hasMessageContaining("10.0.0.0/8");
    }
}
