package dev.rdeportal.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class PortalApplicationTest {

    static MockEnvironment environment(String acceptedIssuer) {
        MockEnvironment environment = new MockEnvironment().withProperty("rde.identity.issuer", "http://localhost:9000");
        return acceptedIssuer == null ? environment : environment.withProperty("rde.security.issuer-uri", acceptedIssuer);
    }

    @Test
    void theEmbeddedIdentityProviderRunsWhileItsIssuerIsTheAcceptedOne() {
        assertThat(PortalApplication.embeddedIdentity(environment(null))).isTrue();
        assertThat(PortalApplication.embeddedIdentity(environment("http://localhost:9000/"))).isTrue();
    }

    @Test
    void anExternalIssuerTurnsItOffUnlessForced() {
        assertThat(PortalApplication.embeddedIdentity(environment("https://login.example.com/realms/rde"))).isFalse();
        assertThat(PortalApplication.embeddedIdentity(environment("https://login.example.com/realms/rde")
                .withProperty("rde.identity.embedded", "true"))).isTrue();
        assertThat(PortalApplication.embeddedIdentity(environment(null).withProperty("rde.identity.embedded", "false")))
                .isFalse();
    }

    @Test
    void theLeakDetectorsAreOffInARunningPortalUnlessALevelWasSet() {
        ResourceLeakDetector.Level netty = ResourceLeakDetector.getLevel();
        io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level grpc =
                io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.getLevel();
        String nettyProperty = System.getProperty(PortalApplication.LEAK_DETECTION_LEVEL);
        String grpcProperty = System.getProperty(PortalApplication.GRPC_LEAK_DETECTION_LEVEL);
        try {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
            io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.setLevel(
                    io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level.PARANOID);
            System.setProperty(PortalApplication.LEAK_DETECTION_LEVEL, "paranoid");
            System.clearProperty(PortalApplication.GRPC_LEAK_DETECTION_LEVEL);
            PortalApplication.quietLeakDetectors();
            assertThat(ResourceLeakDetector.getLevel()).as("set explicitly: kept").isEqualTo(ResourceLeakDetector.Level.PARANOID);
            assertThat(io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.getLevel())
                    .isEqualTo(io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level.DISABLED);

            System.clearProperty(PortalApplication.LEAK_DETECTION_LEVEL);
            System.setProperty(PortalApplication.GRPC_LEAK_DETECTION_LEVEL, "paranoid");
            io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.setLevel(
                    io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level.PARANOID);
            PortalApplication.quietLeakDetectors();
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
            assertThat(io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.getLevel()).as("set explicitly: kept")
                    .isEqualTo(io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level.PARANOID);
        } finally {
            restore(PortalApplication.LEAK_DETECTION_LEVEL, nettyProperty);
            restore(PortalApplication.GRPC_LEAK_DETECTION_LEVEL, grpcProperty);
            ResourceLeakDetector.setLevel(netty);
            io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.setLevel(grpc);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
