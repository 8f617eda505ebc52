package dev.rdeportal.domain.publish;

/**
 * Sends a publish operation to the agent of {@code clusterId}. Handled by the tunnel gateway: with
 * no agent connected it is not queued (the saga's deadline fails the request); an agent too old
 * for publishing fails it at once.
 */
public record DispatchPublishOperationCommand(
        String clusterId,
        String requestId,
        String operationId,
        String workspaceId,
        String publishName,
        int port,
        String startCommand) {
}
