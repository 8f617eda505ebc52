package dev.rdeportal.domain.workspace;

import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Asked by {@code requestedBy}; the aggregate answers "not found" to anyone but the owner. */
public record DeleteWorkspaceCommand(
        @TargetAggregateIdentifier String workspaceId,
        String requestedBy,
        String operationId) {

    public DeleteWorkspaceCommand {
        Validation.id("workspaceId", workspaceId);
        Validation.required("requestedBy", requestedBy);
        Validation.id("operationId", operationId);
    }
}
