package dev.rdeportal.domain.workspace;

import org.axonframework.serialization.Revision;

/**
 * The workspace stopped: as the result of a stop operation ({@code operationId} set), or on its own
 * as the agent observed ({@code operationId} null, {@code reason} says what happened).
 */
@Revision("1")
public record WorkspaceStoppedEvent(String workspaceId, String operationId, String reason) {

    public WorkspaceStoppedEvent(String workspaceId, String operationId) {
        this(workspaceId, operationId, null);
    }
}
