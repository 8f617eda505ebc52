package dev.rdeportal.domain.connection;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A client's terminal connection ended. The terminal session itself may live on (detached) when
 * the client only dropped; {@code reason} says which.
 *
 * @param exitCode the process's exit status when it exited, else null
 * @param bytesIn  keystrokes the client sent through this connection (revision 2; null before)
 * @param bytesOut output the client's socket took through this connection (revision 2; null before)
 */
@Revision("2")
public record TerminalSessionClosedEvent(
        String workspaceId,
        String connectionId,
        String sessionId,
        String user,
        String clientIp,
        Instant openedAt,
        Instant closedAt,
        Integer exitCode,
        String reason,
        Long bytesIn,
        Long bytesOut) {
}
