package dev.rdeportal.domain.connection;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A client's terminal connection ended. The terminal session itself may live on (detached) when
 * the client only dropped; {@code reason} says which.
 *
 * @param exitCode the process's exit status when it exited, else null
 */
@Revision("1")
public record TerminalSessionClosedEvent(
        String workspaceId,
        String connectionId,
        String sessionId,
        String user,
        String clientIp,
        Instant openedAt,
        Instant closedAt,
        Integer exitCode,
        String reason) {
}
