package dev.rdeportal.domain.workspace;

import org.axonframework.serialization.Revision;

@Revision("1")
public record WorkspaceDeletedEvent(String workspaceId, String operationId) {
}
