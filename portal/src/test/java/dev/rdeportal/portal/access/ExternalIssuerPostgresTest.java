package dev.rdeportal.portal.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.rdeportal.portal.support.Api;
import dev.rdeportal.portal.support.PortalHarness;
import dev.rdeportal.portal.support.TestDatabase;
import dev.rdeportal.portal.support.TestIssuer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal configured with an external OIDC issuer (a test issuer of our own, with its own key):
 * that issuer's tokens work; forged, stale, misdirected and foreign tokens — including the embedded
 * identity provider's, which runs here only to prove it — are each refused with 401.
 */
class ExternalIssuerPostgresTest {

    @TempDir
    static Path dataDir;
    static TestIssuer issuer;
    static TestIssuer otherIssuer;
    static PortalHarness portal;
    static Api api;

    @BeforeAll
    static void start() {
        issuer = TestIssuer.start();
        otherIssuer = TestIssuer.start();
        portal = PortalHarness.start(TestDatabase.create(), dataDir, false,
                "--rde.security.issuer-uri=" + issuer.issuer(),
                // Forced on, so that its tokens can be shown to be refused.
                "--rde.identity.embedded=true");
        api = portal.api();
    }

    @AfterAll
    static void stop() {
        if (portal != null) {
            portal.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (otherIssuer != null) {
            otherIssuer.close();
        }
    }

    static void assertRefused(String token, String what) {
        Api.Response r = api.get("/api/v1/me", token);
        assertThat(r.status()).as("%s: %s", what, r.body()).isEqualTo(401);
        assertThat(r.code()).as(what).isEqualTo("unauthenticated");
    }

    @Test
    void theConfiguredIssuersTokensWorkAndAuthConfigNamesIt() {
        Api.Response me = api.get("/api/v1/me", issuer.sign(issuer.validClaims("alice@example.com").build()));
        assertThat(me.status()).as("%s", me.body()).isEqualTo(200);
        assertThat(me.body().get("email").asText()).isEqualTo("alice@example.com");

        Api.Response config = api.get("/api/v1/auth/config", null);
        assertThat(config.body().get("issuer").asText()).isEqualTo(issuer.issuer());
        assertThat(config.body().get("audience").asText()).isEqualTo("rde-portal");
    }

    @Test
    void unsignedTokensAreRefused() {
        assertRefused(new PlainJWT(issuer.validClaims("alice@example.com").build()).serialize(), "alg=none");
    }

    @Test
    void theIssuersPublicKeyUsedAsAnHmacSecretIsRefused() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.key().getKeyID()).build(),
                issuer.validClaims("admin@example.com").build());
        jwt.sign(new MACSigner(issuer.key().toRSAPublicKey().getEncoded()));
        assertRefused(jwt.serialize(), "HS256 with the public key");
    }

    @Test
    void staleAndPrematureTokensAreRefused() {
        Instant now = Instant.now();
        assertRefused(issuer.sign(issuer.validClaims("alice@example.com")
                .issueTime(Date.from(now.minusSeconds(900))).notBeforeTime(Date.from(now.minusSeconds(900)))
                .expirationTime(Date.from(now.minusSeconds(300))).build()), "expired");
        assertRefused(issuer.sign(issuer.validClaims("alice@example.com")
                .notBeforeTime(Date.from(now.plusSeconds(300))).build()), "nbf in the future");
    }

    @Test
    void tokensForSomeoneElseOrFromSomewhereElseAreRefused() {
        assertRefused(issuer.sign(issuer.validClaims("alice@example.com").audience(List.of("another-app")).build()),
                "wrong aud");
        assertRefused(issuer.sign(issuer.validClaims("alice@example.com").audience(List.<String>of()).build()),
                "no aud");
        assertRefused(issuer.sign(issuer.validClaims("alice@example.com").issuer(otherIssuer.issuer()).build()),
                "wrong iss, right key");
        assertRefused(issuer.sign(issuer.validClaims("alice@example.com").claim("email", null).build()),
                "no email claim");
    }

    @Test
    void tokensSignedWithAnyOtherKeyAreRefused() throws JOSEException {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown-kid").generate();
        assertRefused(TestIssuer.sign(issuer.validClaims("alice@example.com").build(), stranger), "unknown kid");
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(issuer.key().getKeyID()).generate();
        assertRefused(TestIssuer.sign(issuer.validClaims("alice@example.com").build(), impostor), "known kid, wrong key");
        assertRefused(otherIssuer.sign(otherIssuer.validClaims("alice@example.com").build()), "another issuer");
        assertRefused(otherIssuer.sign(otherIssuer.validClaims("alice@example.com").issuer(issuer.issuer()).build()),
                "another issuer claiming to be the configured one");
    }

    @Test
    void theEmbeddedIdentityProvidersTokensAreRefused() {
        String embedded = portal.login("alice@example.com", "alice");
        assertThat(embedded).isNotBlank();
        assertRefused(embedded, "embedded issuer");
    }
}
