package dev.rdeportal.domain.workspace;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The agent could not apply an operation, or no answer came before the deadline. */
public record FailWorkspaceOperationCommand(
        @TargetAggregateIdentifier String workspaceId,
        String operationId,
        String reason) {
}
