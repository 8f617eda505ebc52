package dev.rdeportal.domain.publish;

/**
 * Sends an unpublish operation to the agent of {@code clusterId}. Handled by the tunnel gateway as
 * {@link DispatchPublishOperationCommand} is: with no agent connected it is sent when the agent
 * reconnects, or failed by the saga's deadline.
 */
public record DispatchUnpublishOperationCommand(
        String clusterId,
        String requestId,
        String operationId,
        String workspaceId,
        String publishName) {
}
