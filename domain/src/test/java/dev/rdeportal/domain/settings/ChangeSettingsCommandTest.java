package dev.rdeportal.domain.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdeportal.domain.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeSettingsCommandTest {

    private static ChangeSettingsCommand command(Branding branding, RateLimits limits) {
        return new ChangeSettingsCommand(ChangeSettingsCommand.SETTINGS_ID, new PortalSettings(branding, limits),
                "admin@example.com");
    }

    private static ChangeSettingsCommand withLogo(String logoUrl) {
        return command(new Branding("Dev Cloud", "#112233", logoUrl), RateLimits.DEFAULT);
    }

    @Test
    void valuesAreCanonical() {
        ChangeSettingsCommand cmd = command(new Branding("  Dev Cloud ", "#A1B2C3", "  "), new RateLimits(1, 100_000));
        assertThat(cmd.settings()).isEqualTo(new PortalSettings(new Branding("Dev Cloud", "#a1b2c3", null),
                new RateLimits(1, 100_000)));
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> command(Branding.DEFAULT, new RateLimits(0, 200)))
                .isInstanceOf(DomainException.class).hasMessageContaining("rateLimits.launchesPerMinute");
        assertThatThrownBy(() -> command(Branding.DEFAULT, new RateLimits(5, 100_001)))
                .isInstanceOf(DomainException.class).hasMessageContaining("rateLimits.requestsPerMinute");
    }

    @Test
    void brandingOutOfShapeIsRefused() {
        assertThatThrownBy(() -> command(new Branding(" ", "#112233", null), RateLimits.DEFAULT))
                .hasMessageContaining("productName");
        assertThatThrownBy(() -> command(new Branding("x".repeat(61), "#112233", null), RateLimits.DEFAULT))
                .hasMessageContaining("productName");
        assertThatThrownBy(() -> command(new Branding("a\nb", "#112233", null), RateLimits.DEFAULT))
                .hasMessageContaining("productName");
        assertThatThrownBy(() -> command(new Branding("Dev", "blue", null), RateLimits.DEFAULT))
                .hasMessageContaining("accentColor");
        assertThatThrownBy(() -> command(new Branding("Dev", "#12345", null), RateLimits.DEFAULT))
                .hasMessageContaining("accentColor");
        assertThatThrownBy(() -> command(null, RateLimits.DEFAULT)).hasMessageContaining("whole document");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cdn.example.com/logo.svg", "/logo.svg", "/assets/logo.png?v=2"})
    void aLogoIsAnHttpsUrlOrAPathOnThePortal(String url) {
        assertThat(withLogo(url).settings().branding().logoUrl()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "http://example.com/logo.svg", "//evil.example/logo.svg",
            "data:image/svg+xml;base64,AAAA", "logo.svg", "https://user:pw@example.com/logo.svg", "/a b.svg",
            "/\\evil.example", "https:///nohost"})
    void anyOtherLogoIsRefused(String url) {
        assertThatThrownBy(() -> withLogo(url)).isInstanceOf(DomainException.class).hasMessageContaining("logoUrl");
    }
}
