package dev.rdeportal.domain.workspace;

import org.axonframework.serialization.Revision;

@Revision("1")
public record WorkspaceStoppedEvent(String workspaceId, String operationId) {
}
