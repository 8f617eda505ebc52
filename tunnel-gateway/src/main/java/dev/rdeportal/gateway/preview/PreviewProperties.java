package dev.rdeportal.gateway.preview;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of previews ({@code rde.gateway.preview.*}); every field may be left out.
 *
 * @param domain             the preview domain: origins are {@code p<port>--<workspace>.<domain>};
 *                           in production a wildcard DNS name with a wildcard certificate
 * @param scheme             {@code http} or {@code https}, as browsers reach the preview domain
 *                           (https makes the cookie {@code Secure})
 * @param publicPort         the port browsers use for the preview domain; 0: the portal's port
 * @param ticketTtl          how long a preview ticket may wait to be redeemed
 * @param sessionLifetime    the longest a preview cookie session lasts
 * @param sessionIdleTimeout a session unused this long ends
 * @param sweepInterval      how often ended sessions are closed and counters are written
 */
@ConfigurationProperties("rde.gateway.preview")
public record PreviewProperties(String domain, String scheme, int publicPort, Duration ticketTtl,
                                Duration sessionLifetime, Duration sessionIdleTimeout, Duration sweepInterval) {

    public PreviewProperties {
        domain = domain == null || domain.isBlank() ? "preview.localhost" : domain.strip().toLowerCase(Locale.ROOT);
        if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("rde.gateway.preview.domain must be a DNS name, was '" + domain + "'");
        }
        scheme = scheme == null || scheme.isBlank() ? "http" : scheme.strip().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("rde.gateway.preview.scheme must be http or https, was " + scheme);
        }
        if (publicPort < 0 || publicPort > 65535) {
            throw new IllegalArgumentException("rde.gateway.preview.public-port must be a port, was " + publicPort);
        }
        ticketTtl = positive("ticket-ttl", ticketTtl, Duration.ofSeconds(30));
        if (ticketTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("rde.gateway.preview.ticket-ttl must be at most 5m, was " + ticketTtl);
        }
        sessionLifetime = positive("session-lifetime", sessionLifetime, Duration.ofHours(8));
        sessionIdleTimeout = positive("session-idle-timeout", sessionIdleTimeout, Duration.ofMinutes(30));
        sweepInterval = positive("sweep-interval", sweepInterval, Duration.ofSeconds(15));
    }

    /** Whether preview cookies carry {@code Secure}. */
    boolean secure() {
        return scheme.equals("https");
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("rde.gateway.preview." + name + " must be positive, was " + value);
        }
        return value;
    }
}
