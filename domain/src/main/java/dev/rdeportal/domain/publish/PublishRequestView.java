package dev.rdeportal.domain.publish;

import java.time.Instant;

/**
 * A publish request as the read side knows it: the API's {@link PublishRequest} and what the
 * gateway needs to serve the app and re-send a pending publish operation.
 *
 * @param publishName the app's stable DNS label; its host is {@code <publishName>--pub.<preview domain>}
 * @param operationId the publish operation sent to the agent (set once approved)
 */
public record PublishRequestView(
        String id,
        String workspaceId,
        String workspaceName,
        String clusterId,
        String blueprintId,
        String requester,
        int port,
        String note,
        String startCommand,
        String publishName,
        PublishStatus status,
        String reviewer,
        String comment,
        Instant requestedAt,
        Instant reviewedAt,
        boolean autoApproved,
        String operationId,
        String url,
        String reason) {

    public PublishRequest api() {
        return new PublishRequest(id, workspaceId, workspaceName, requester, port, note, status, reviewer, comment,
                requestedAt, reviewedAt, autoApproved, url, reason);
    }
}
