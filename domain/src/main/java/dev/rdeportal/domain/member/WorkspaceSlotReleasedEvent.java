package dev.rdeportal.domain.member;

import org.axonframework.serialization.Revision;

@Revision("1")
public record WorkspaceSlotReleasedEvent(String organizationId, String owner, String workspaceId, String operationId) {
}
