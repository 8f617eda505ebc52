package dev.rdeportal.domain.workspace;

/**
 * Sends an operation to the agent of {@code clusterId}. Handled by the tunnel gateway, not by an
 * aggregate: if no agent is connected it is not queued, because a reconnecting agent is sent every
 * pending operation again (same id) during reconciliation.
 */
public record DispatchWorkspaceOperationCommand(
        String clusterId,
        String workspaceId,
        String operationId,
        OperationKind kind,
        String owner,
        String name,
        String blueprintId,
        WorkspaceSpec spec) {
}
