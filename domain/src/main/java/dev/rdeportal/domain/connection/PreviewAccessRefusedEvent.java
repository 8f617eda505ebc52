package dev.rdeportal.domain.connection;

import org.axonframework.serialization.Revision;

/**
 * A preview ticket or cookie was refused: unknown, used, expired, malformed, or presented on a
 * preview origin it was not issued for.
 *
 * @param workspaceId the workspace of the origin the client came to (its word)
 * @param port        the port of that origin
 * @param user        whom the ticket or cookie was issued to, when it was valid but did not fit;
 *                    null when it named nobody we know
 * @param reason      why, in words; never the ticket or cookie
 */
@Revision("1")
public record PreviewAccessRefusedEvent(String workspaceId, int port, String user, String reason) {
}
