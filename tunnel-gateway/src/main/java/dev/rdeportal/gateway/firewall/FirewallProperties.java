package dev.rdeportal.gateway.firewall;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The firewall ({@code rde.security.firewall.*}). The rules themselves are data (the API), not
 * configuration.
 *
 * @param applyToApi      also refuse {@code /api/**} calls from blocked addresses (terminals and
 *                        previews are always guarded)
 * @param refreshInterval how often the rules are re-read from the read model; changes on this
 *                        replica apply at once, this bounds how late another replica's change applies
 * @param eventInterval   repeated refusals of one address at one target are recorded once per interval
 */
@ConfigurationProperties("rde.security.firewall")
public record FirewallProperties(boolean applyToApi, Duration refreshInterval, Duration eventInterval) {

    public FirewallProperties {
        if (refreshInterval == null) {
            refreshInterval = Duration.ofSeconds(10);
        }
        if (refreshInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("rde.security.firewall.refresh-interval must be at least 100ms");
        }
        if (eventInterval == null) {
            eventInterval = Duration.ofMinutes(1);
        }
        if (eventInterval.isNegative()) {
            throw new IllegalArgumentException("rde.security.firewall.event-interval must not be negative");
        }
    }
}
