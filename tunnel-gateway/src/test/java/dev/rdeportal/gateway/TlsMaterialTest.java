package dev.rdeportal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdeportal.proto.JoinToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void generatesACaAndServerCertificateOnFirstStartAndReusesThem() throws Exception {
        TlsMaterial first = TlsMaterial.load(tls(dir, List.of("localhost", "::1")), CLOCK);
        byte[] serverBefore = Files.readAllBytes(dir.resolve(TlsMaterial.SERVER_CERT));

        TlsMaterial second = TlsMaterial.load(tls(dir, List.of("localhost", "0:0:0:0:0:0:0:1")), CLOCK);

        assertThat(second.caFingerprint()).isEqualTo(first.caFingerprint());
        assertThat(Files.readAllBytes(dir.resolve(TlsMaterial.SERVER_CERT))).isEqualTo(serverBefore);
        // The fingerprint format join tokens accept.
        assertThat(new JoinToken("c1", JoinToken.randomSecret(), first.caFingerprint()).caFingerprint())
                .isEqualTo(first.caFingerprint()).matches("[0-9a-f]{64}");
        assertThat(first.caFingerprint())
                .isEqualTo(JoinToken.sha256Hex(first.caCertificate().getEncoded()));
    }

    @Test
    void presentsTheServerCertificateSignedByTheCaWithTheConfiguredNames() throws Exception {
        TlsMaterial material = TlsMaterial.load(tls(dir, List.of("gw.example.com", "10.0.0.7")), CLOCK);

        List<X509Certificate> chain = material.certificateChain();
        assertThat(chain).hasSize(2);
        chain.get(0).verify(chain.get(1).getPublicKey());
        assertThat(chain.get(1)).isEqualTo(material.caCertificate());
        assertThat(chain.get(1).getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(chain.get(0).getBasicConstraints()).isEqualTo(-1);
        assertThat(List.copyOf(chain.get(0).getSubjectAlternativeNames()))
                .extracting(entry -> (Object) entry.get(1))
                .containsExactlyInAnyOrder("gw.example.com", "10.0.0.7");
        assertThat(chain.get(1).getNotAfter().toInstant())
                .isAfter(CLOCK.instant().plus(java.time.Duration.ofDays(3650)));
        assertThat(material.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(material.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void keysAreReadableByTheOwnerOnly() throws Exception {
        TlsMaterial.load(tls(dir, List.of("localhost")), CLOCK);

        assertThat(Files.getPosixFilePermissions(dir.resolve(TlsMaterial.CA_KEY)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve(TlsMaterial.SERVER_KEY)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dir.resolve(TlsMaterial.SERVER_KEY))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void changedHostnamesReissueTheServerCertificateButKeepTheCa() throws Exception {
        TlsMaterial first = TlsMaterial.load(tls(dir, List.of("localhost")), CLOCK);

        TlsMaterial second = TlsMaterial.load(tls(dir, List.of("localhost", "gw.internal")), CLOCK);

        assertThat(second.caFingerprint()).isEqualTo(first.caFingerprint());
        assertThat(second.certificateChain().get(0)).isNotEqualTo(first.certificateChain().get(0));
        assertThat(List.copyOf(second.certificateChain().get(0).getSubjectAlternativeNames()))
                .extracting(entry -> (Object) entry.get(1)).containsExactlyInAnyOrder("localhost", "gw.internal");
    }

    @Test
    void serverCertificateCloseToExpiryIsReissued() throws Exception {
        TlsMaterial first = TlsMaterial.load(tls(dir, List.of("localhost")), CLOCK);

        Clock twoYearsLater = Clock.offset(CLOCK, java.time.Duration.ofDays(710));
        TlsMaterial second = TlsMaterial.load(tls(dir, List.of("localhost")), twoYearsLater);

        assertThat(second.caFingerprint()).isEqualTo(first.caFingerprint());
        assertThat(second.certificateChain().get(0).getNotAfter())
                .isAfter(first.certificateChain().get(0).getNotAfter());
    }

    @Test
    void aCaWithoutItsKeyIsNotSilentlyReplaced() throws Exception {
        TlsMaterial.load(tls(dir, List.of("localhost")), CLOCK);
        Files.delete(dir.resolve(TlsMaterial.CA_KEY));

        assertThatThrownBy(() -> TlsMaterial.load(tls(dir, List.of("localhost")), CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("incomplete gateway CA");
    }

    @Test
    void configuredFilesAreUsedWithTheLastCertificateAsTheCa() throws Exception {
        Path generated = dir.resolve("generated");
        TlsMaterial embedded = TlsMaterial.load(tls(generated, List.of("localhost")), CLOCK);
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, Files.readString(generated.resolve(TlsMaterial.SERVER_CERT))
                + Files.readString(generated.resolve(TlsMaterial.CA_CERT)));

        TlsMaterial configured = TlsMaterial.load(new GatewayProperties.Tls(chain,
                generated.resolve(TlsMaterial.SERVER_KEY), dir.resolve("unused"), null), CLOCK);

        assertThat(configured.caFingerprint()).isEqualTo(embedded.caFingerprint());
        assertThat(configured.certificateChain()).hasSize(2);
        assertThat(Files.exists(dir.resolve("unused"))).isFalse();
    }

    static GatewayProperties.Tls tls(Path dataDir, List<String> hostnames) {
        return new GatewayProperties.Tls(null, null, dataDir, hostnames);
    }
}
