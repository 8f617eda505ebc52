package dev.rdeportal.domain.workspace;

import org.axonframework.serialization.Revision;

@Revision("1")
public record WorkspaceLaunchedEvent(
        String workspaceId,
        String owner,
        String name,
        String blueprintId,
        String clusterId,
        WorkspaceSpec spec,
        String operationId) {
}
