package dev.rdeportal.query.settings;

import dev.rdeportal.domain.settings.RateLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rde.rate-limits.launches-per-minute} and {@code .requests-per-minute}: the limits in force
 * until an admin first saves settings; afterwards the saved document decides.
 */
@ConfigurationProperties("rde.rate-limits")
public record RateLimitDefaults(Integer launchesPerMinute, Integer requestsPerMinute) {

    public RateLimitDefaults {
        launchesPerMinute = check("launches-per-minute", launchesPerMinute, RateLimits.DEFAULT.launchesPerMinute());
        requestsPerMinute = check("requests-per-minute", requestsPerMinute, RateLimits.DEFAULT.requestsPerMinute());
    }

    private static int check(String name, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v < RateLimits.MIN || v > RateLimits.MAX) {
            throw new IllegalArgumentException("rde.rate-limits." + name + " must be between " + RateLimits.MIN
                    + " and " + RateLimits.MAX);
        }
        return v;
    }

    public RateLimits rateLimits() {
        return new RateLimits(launchesPerMinute, requestsPerMinute);
    }
}
