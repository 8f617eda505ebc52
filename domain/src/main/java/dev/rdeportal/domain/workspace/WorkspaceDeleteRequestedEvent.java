package dev.rdeportal.domain.workspace;

import org.axonframework.serialization.Revision;

@Revision("1")
public record WorkspaceDeleteRequestedEvent(String workspaceId, String requestedBy, String operationId, String reason) {
}
