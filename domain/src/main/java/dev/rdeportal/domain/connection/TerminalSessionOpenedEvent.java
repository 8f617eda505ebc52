package dev.rdeportal.domain.connection;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A client attached to a terminal session of a workspace (a new session, or a re-attach).
 *
 * @param connectionId one WebSocket connection; the matching {@link TerminalSessionClosedEvent}
 *                     carries the same id
 * @param sessionId    the terminal session on the agent, which may outlive this connection
 * @param command      empty for a login shell
 * @param reattached   true when the client re-attached to a session that already existed
 */
@Revision("1")
public record TerminalSessionOpenedEvent(
        String workspaceId,
        String connectionId,
        String sessionId,
        String user,
        String clientIp,
        String command,
        boolean reattached,
        Instant openedAt) {
}
