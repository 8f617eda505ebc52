package dev.rdeportal.domain.workspace;

import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The agent applied an operation. A result for an operation that is no longer pending (a
 * duplicate, or one overtaken by a newer request) changes nothing.
 */
public record CompleteWorkspaceOperationCommand(
        @TargetAggregateIdentifier String workspaceId,
        String operationId,
        Map<Integer, Integer> ports) {

    public CompleteWorkspaceOperationCommand {
        ports = ports == null ? Map.of() : Map.copyOf(ports);
    }
}
