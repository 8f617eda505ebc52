package dev.rdeportal.query.settings;

import dev.rdeportal.domain.settings.Branding;
import dev.rdeportal.domain.settings.PortalSettings;
import dev.rdeportal.query.support.Caller;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/settings} (admins: the whole document, as {@code PUT} takes it) and
 * {@code GET /api/v1/branding} (anyone, without a token: the sign-in page shows it).
 */
@RestController
class SettingsQueryController {

    private final SettingsReadRepository settings;

    SettingsQueryController(SettingsReadRepository settings) {
        this.settings = settings;
    }

    record BrandingResponse(String productName, String accentColor, String logoUrl) {

        static BrandingResponse of(Branding b) {
            return new BrandingResponse(b.productName(), b.accentColor(), b.logoUrl());
        }
    }

    record RateLimitsResponse(int launchesPerMinute, int requestsPerMinute) {
    }

    record SettingsResponse(BrandingResponse branding, RateLimitsResponse rateLimits) {

        static SettingsResponse of(PortalSettings s) {
            return new SettingsResponse(BrandingResponse.of(s.branding()),
                    new RateLimitsResponse(s.rateLimits().launchesPerMinute(), s.rateLimits().requestsPerMinute()));
        }
    }

    @GetMapping("/api/v1/settings")
    Mono<SettingsResponse> settings(Principal principal) {
        Caller.of(principal).requireAdmin("reading the settings");
        return settings.current().map(SettingsResponse::of);
    }

    @GetMapping("/api/v1/branding")
    Mono<BrandingResponse> branding() {
        return settings.current().map(s -> BrandingResponse.of(s.branding()));
    }
}
