package dev.rdeportal.domain.publish;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** The owner asked to publish; the request is PENDING (and may be approved at once, in the next event). */
@Revision("1")
public record PublishRequestedEvent(
        String requestId,
        String workspaceId,
        String workspaceName,
        String clusterId,
        String blueprintId,
        String requester,
        int port,
        String note,
        String startCommand,
        String publishName,
        Instant requestedAt) {
}
