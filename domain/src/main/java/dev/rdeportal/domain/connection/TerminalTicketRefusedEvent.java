package dev.rdeportal.domain.connection;

import org.axonframework.serialization.Revision;

/**
 * A terminal ticket was refused: unknown, used, expired, malformed or bound to another workspace.
 *
 * @param workspaceId the workspace the client asked for (its word: the path it connected to)
 * @param user        whom the ticket was issued to, when the ticket was valid but did not fit;
 *                    null when the ticket named nobody we know
 * @param reason      why, in words; never the ticket
 */
@Revision("1")
public record TerminalTicketRefusedEvent(String workspaceId, String user, String reason) {
}
