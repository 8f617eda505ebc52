package dev.rdeportal.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class PinnedCaTrustManagerTest {

    private static final String[] LOCAL_DNS = {"localhost"};
    private static final String[] LOCAL_IP = {"127.0.0.1"};

    @Test
    void acceptsAChainThatContainsThePinnedCaAndValidatesAgainstIt() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("rde gateway CA");
        TestCertificates.Issued server = TestCertificates.server(ca, LOCAL_DNS, LOCAL_IP);
        PinnedCaTrustManager trust = new PinnedCaTrustManager(PinnedCaTrustManager.sha256(ca.certificate()));

        trust.checkServerTrusted(new X509Certificate[] {server.certificate(), ca.certificate()}, "ECDHE_ECDSA");

        assertThat(trust.pinnedCa()).isEqualTo(ca.certificate());
        assertThat(trust.getAcceptedIssuers()).containsExactly(ca.certificate());
    }

    @Test
    void refusesAChainFromAnotherCa() throws Exception {
        TestCertificates.Issued pinned = TestCertificates.ca("rde gateway CA");
        TestCertificates.Issued other = TestCertificates.ca("someone else's CA");
        TestCertificates.Issued server = TestCertificates.server(other, LOCAL_DNS, LOCAL_IP);
        PinnedCaTrustManager trust = new PinnedCaTrustManager(PinnedCaTrustManager.sha256(pinned.certificate()));

        assertThatThrownBy(() -> trust.checkServerTrusted(
                new X509Certificate[] {server.certificate(), other.certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("does not contain the CA pinned by the join token");
        assertThat(trust.pinnedCa()).isNull();
    }

    @Test
    void refusesAChainThatMerelyCarriesThePinnedCaButIsSignedByAnother() throws Exception {
        TestCertificates.Issued pinned = TestCertificates.ca("rde gateway CA");
        TestCertificates.Issued other = TestCertificates.ca("someone else's CA");
        TestCertificates.Issued server = TestCertificates.server(other, LOCAL_DNS, LOCAL_IP);
        PinnedCaTrustManager trust = new PinnedCaTrustManager(PinnedCaTrustManager.sha256(pinned.certificate()));

        assertThatThrownBy(() -> trust.checkServerTrusted(
                new X509Certificate[] {server.certificate(), pinned.certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }
}
