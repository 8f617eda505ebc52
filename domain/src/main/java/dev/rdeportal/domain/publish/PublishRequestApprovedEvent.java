package dev.rdeportal.domain.publish;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * Approved by {@code reviewer}, or at once because the requester was trusted ({@code autoApproved},
 * reviewer null). Carries what the publish saga sends to the agent, under {@code operationId}.
 */
@Revision("1")
public record PublishRequestApprovedEvent(
        String requestId,
        String reviewer,
        String comment,
        boolean autoApproved,
        Instant reviewedAt,
        String operationId,
        String clusterId,
        String workspaceId,
        String publishName,
        int port,
        String startCommand) {
}
