package dev.rdeportal.domain.connection;

import org.axonframework.serialization.Revision;

/**
 * A terminal WebSocket was refused before any ticket was looked at, because the page that opened
 * it came from an origin that is not the portal's (cross-site WebSocket hijacking).
 *
 * @param workspaceId the workspace in the path, when it was a well-formed id
 * @param origin      the Origin header as sent (null when missing), sanitised to printable ASCII
 */
@Revision("1")
public record TerminalConnectionRefusedEvent(String workspaceId, String origin, String reason) {
}
