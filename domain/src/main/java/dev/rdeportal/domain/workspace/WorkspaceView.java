package dev.rdeportal.domain.workspace;

import java.time.Instant;
import java.util.Map;

/**
 * A workspace as the read side knows it. {@code pendingOperationId}/{@code pendingOperation} name
 * the operation the control plane is waiting for, so a reconnecting agent can be sent it again.
 */
public record WorkspaceView(
        String id,
        String name,
        String blueprintId,
        String clusterId,
        String owner,
        WorkspaceStatus status,
        String statusReason,
        String pendingOperationId,
        OperationKind pendingOperation,
        WorkspaceSpec spec,
        Map<Integer, Integer> ports,
        Instant createdAt,
        Instant updatedAt) {
}
