package dev.rdeportal.domain.settings;

import dev.rdeportal.domain.DomainException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces the whole settings document. Validated here, so the aggregate and every event hold
 * canonical values only: names stripped, colours in lower case, limits in range, a logo that is an
 * {@code https} URL or a path on the portal (never {@code javascript:}, {@code data:} or
 * {@code //host}, which would load from anywhere).
 *
 * @param changedBy the admin's email
 */
public record ChangeSettingsCommand(@TargetAggregateIdentifier String settingsId, PortalSettings settings,
                                    String changedBy) {

    /** The settings are one per portal. */
    public static final String SETTINGS_ID = "settings";
    public static final int MAX_PRODUCT_NAME = 60;
    public static final int MAX_LOGO_URL = 2048;
    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

    public ChangeSettingsCommand {
        if (!SETTINGS_ID.equals(settingsId)) {
            throw DomainException.invalid("there is one settings document, '" + SETTINGS_ID + "'");
        }
        if (changedBy == null || changedBy.isBlank()) {
            throw DomainException.invalid("changedBy is required");
        }
        if (settings == null || settings.branding() == null || settings.rateLimits() == null) {
            throw DomainException.invalid("branding and rateLimits are required (PUT replaces the whole document)");
        }
        settings = new PortalSettings(branding(settings.branding()), rateLimits(settings.rateLimits()));
    }

    private static Branding branding(Branding branding) {
        String name = branding.productName() == null ? "" : branding.productName().strip();
        if (name.isEmpty() || name.length() > MAX_PRODUCT_NAME) {
            throw DomainException.invalid("branding.productName must be 1 to " + MAX_PRODUCT_NAME + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid("branding.productName must not contain control characters");
        }
        String color = branding.accentColor();
        if (color == null || !COLOR.matcher(color).matches()) {
            throw DomainException.invalid("branding.accentColor must be a colour written #rrggbb");
        }
        return new Branding(name, color.toLowerCase(Locale.ROOT), logoUrl(branding.logoUrl()));
    }

    private static String logoUrl(String logoUrl) {
        if (logoUrl == null || logoUrl.isBlank()) {
            return null;
        }
        String url = logoUrl.strip();
        String invalid = "branding.logoUrl must be null, an https URL or a path on the portal starting with /";
        if (url.length() > MAX_LOGO_URL || url.chars().anyMatch(c -> c <= ' ' || c == '\\' || c >= 0x7f)) {
            throw DomainException.invalid(invalid);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw DomainException.invalid(invalid);
        }
        boolean path = uri.getScheme() == null && uri.getRawAuthority() == null && url.startsWith("/")
                && !url.startsWith("//");
        boolean https = "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                && uri.getRawUserInfo() == null;
        if (!path && !https) {
            throw DomainException.invalid(invalid);
        }
        return url;
    }

    private static RateLimits rateLimits(RateLimits limits) {
        return new RateLimits(
                limit("rateLimits.launchesPerMinute", limits.launchesPerMinute()),
                limit("rateLimits.requestsPerMinute", limits.requestsPerMinute()));
    }

    private static int limit(String field, int value) {
        if (value < RateLimits.MIN || value > RateLimits.MAX) {
            throw DomainException.invalid(field + " must be between " + RateLimits.MIN + " and " + RateLimits.MAX);
        }
        return value;
    }
}
