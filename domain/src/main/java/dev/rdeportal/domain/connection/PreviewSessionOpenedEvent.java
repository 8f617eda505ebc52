package dev.rdeportal.domain.connection;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A preview ticket was redeemed for a cookie session on the preview origin of a workspace port.
 * One event per cookie session, not per request.
 *
 * @param sessionId an id for the audit trail, never the cookie's value
 * @param expiresAt when the cookie session ends at the latest
 */
@Revision("1")
public record PreviewSessionOpenedEvent(
        String sessionId,
        String workspaceId,
        int port,
        String user,
        String clientIp,
        Instant openedAt,
        Instant expiresAt) {
}
