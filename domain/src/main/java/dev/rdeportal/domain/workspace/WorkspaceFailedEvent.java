package dev.rdeportal.domain.workspace;

import org.axonframework.serialization.Revision;

/** {@code operationId} is null when the failure was observed rather than the result of an operation. */
@Revision("1")
public record WorkspaceFailedEvent(String workspaceId, String operationId, String reason) {
}
