package dev.rdeportal.domain.workspace;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * What an agent actually has for a workspace, from its inventory on (re)connect or from an
 * unsolicited report. The aggregate compares it with the desired state and decides; the
 * {@code operationId} is used only if a new operation is needed.
 */
public record ReconcileWorkspaceCommand(
        @TargetAggregateIdentifier String workspaceId,
        ObservedPhase observed,
        String reason,
        String operationId) {
}
