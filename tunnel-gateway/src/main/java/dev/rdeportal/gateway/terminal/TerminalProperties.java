package dev.rdeportal.gateway.terminal;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the terminal relay ({@code rde.gateway.terminal.*}); every field may be left out.
 *
 * @param allowedOrigins origins a terminal WebSocket may come from (scheme://host[:port]); empty:
 *                       the portal's own, {@code http://localhost:<rde.portal.port>} and
 *                       {@code http://127.0.0.1:<rde.portal.port>}
 * @param ticketTtl      how long a terminal ticket may wait for its WebSocket
 * @param authTimeout    how long a WebSocket may take to send its ticket
 */
@ConfigurationProperties("rde.gateway.terminal")
public record TerminalProperties(List<String> allowedOrigins, Duration ticketTtl, Duration authTimeout) {

    public TerminalProperties {
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(TerminalProperties::origin).filter(o -> !o.isEmpty()).distinct().toList();
        ticketTtl = positive("ticket-ttl", ticketTtl, Duration.ofSeconds(30));
        if (ticketTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("rde.gateway.terminal.ticket-ttl must be at most 5m, was " + ticketTtl);
        }
        authTimeout = positive("auth-timeout", authTimeout, Duration.ofSeconds(10));
    }

    /** The allowed origins, or the portal's own when none are configured. */
    List<String> originsOr(int portalPort) {
        return allowedOrigins.isEmpty()
                ? List.of("http://localhost:" + portalPort, "http://127.0.0.1:" + portalPort)
                : allowedOrigins;
    }

    /** Origins compare without a trailing slash and case-insensitively in scheme and host. */
    static String origin(String value) {
        String trimmed = value == null ? "" : value.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.toLowerCase(java.util.Locale.ROOT);
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("rde.gateway.terminal." + name + " must be positive, was " + value);
        }
        return value;
    }
}
