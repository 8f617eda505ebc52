package dev.rdeportal.domain.settings;

/**
 * The settings admins change at run time, as one document: {@code PUT /api/v1/settings} replaces
 * it whole. Validated by {@link ChangeSettingsCommand}; stored history is read back as written.
 */
public record PortalSettings(Branding branding, RateLimits rateLimits) {

    /** The document before any admin has saved one, with the configured initial limits. */
    public static PortalSettings initial(RateLimits rateLimits) {
        return new PortalSettings(Branding.DEFAULT, rateLimits == null ? RateLimits.DEFAULT : rateLimits);
    }
}
