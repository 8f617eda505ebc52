package dev.rdeportal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PkceTest {

    @Test
    void theChallengeIsS256OfTheVerifier() {
        // RFC 7636, appendix B
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void verifiersAreFreshAndLongEnough() {
        Pkce a = Pkce.create();
        Pkce b = Pkce.create();
        assertThat(a.verifier()).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(b.verifier());
        assertThat(a.challenge()).isEqualTo(Pkce.challenge(a.verifier()));
    }

    @Test
    void theAuthorizeUrlCarriesTheChallengeAndTheLoopbackRedirect() {
        Oidc.Endpoints endpoints = new Oidc.Endpoints("http://localhost:9000", "rde-cli",
                URI.create("http://localhost:9000/oauth2/authorize"), URI.create("http://localhost:9000/oauth2/token"));
        Pkce pkce = Pkce.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        URI url = Oidc.authorizeUrl(endpoints, "http://127.0.0.1:5555/callback", "st", pkce);

        assertThat(Oidc.query(url.getRawQuery())).containsEntry("client_id", "rde-cli")
                .containsEntry("redirect_uri", "http://127.0.0.1:5555/callback")
                .containsEntry("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("response_type", "code")
                .containsEntry("state", "st");
    }

    @Test
    void aCallbackOfAnotherLoginIsRefused() {
        assertThat(Oidc.codeFrom("code=abc&state=st", "st")).isEqualTo("abc");
        assertThatThrownBy(() -> Oidc.codeFrom("code=abc&state=other", "st")).hasMessageContaining("does not belong");
        assertThatThrownBy(() -> Oidc.codeFrom("error=access_denied&state=st", "st")).hasMessageContaining("access_denied");
    }
}
