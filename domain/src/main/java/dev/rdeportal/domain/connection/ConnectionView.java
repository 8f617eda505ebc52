package dev.rdeportal.domain.connection;

import java.time.Instant;

/**
 * One terminal connection or preview session as the Security Center shows it; {@code closedAt}
 * is null while it is open.
 *
 * @param type     {@code terminal} or {@code preview}
 * @param detail   which terminal session, or which port
 * @param requests preview requests relayed (null for terminals)
 */
public record ConnectionView(String id, String type, String user, String clientIp, String workspaceId, String detail,
                             Instant openedAt, Instant closedAt, String closeReason, Long requests, Long bytesIn,
                             Long bytesOut) {

    public boolean open() {
        return closedAt == null;
    }
}
