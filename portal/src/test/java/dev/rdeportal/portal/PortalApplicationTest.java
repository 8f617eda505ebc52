package dev.rdeportal.portal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
