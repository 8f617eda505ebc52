package dev.rdeportal.domain.connection;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A preview cookie session ended (idle, expired, or its workspace went away), with what went
 * through it.
 *
 * @param requests HTTP requests and WebSockets relayed
 * @param bytesIn  request bodies and WebSocket messages into the workspace
 * @param bytesOut response bodies and WebSocket messages out of it
 * @param reason   why it ended, in words
 */
@Revision("1")
public record PreviewSessionClosedEvent(
        String sessionId,
        String workspaceId,
        int port,
        String user,
        String clientIp,
        Instant openedAt,
        Instant closedAt,
        long requests,
        long bytesIn,
        long bytesOut,
        String reason) {
}
