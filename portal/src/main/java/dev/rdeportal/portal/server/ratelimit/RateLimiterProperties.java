package dev.rdeportal.portal.server.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this replica enforces the rate limits ({@code rde.rate-limits.*}). The limits themselves are
 * settings (admins change them at run time); {@code rde.rate-limits.launches-per-minute} and
 * {@code .requests-per-minute} are the initial values, read by the query side's
 * {@code RateLimitDefaults}.
 *
 * @param refreshInterval how often the settings are re-read: a change projected on this replica
 *                        applies at once, this bounds how late another replica's change applies
 * @param maxTrackedKeys  users or addresses held per limit (about 0.5 KB each, measured); idle ones
 *                        are forgotten after a minute, and beyond this many active ones some are
 *                        evicted and start afresh
 */
@ConfigurationProperties("rde.rate-limits")
public record RateLimiterProperties(Duration refreshInterval, Long maxTrackedKeys) {

    public RateLimiterProperties {
        if (refreshInterval == null) {
            refreshInterval = Duration.ofSeconds(10);
        }
        if (refreshInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("rde.rate-limits.refresh-interval must be at least 100ms");
        }
        if (maxTrackedKeys == null) {
            maxTrackedKeys = 20_000L;
        }
        if (maxTrackedKeys < 100) {
            throw new IllegalArgumentException("rde.rate-limits.max-tracked-keys must be at least 100");
        }
    }
}
