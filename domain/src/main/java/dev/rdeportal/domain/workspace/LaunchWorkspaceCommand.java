package dev.rdeportal.domain.workspace;

import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record LaunchWorkspaceCommand(
        @TargetAggregateIdentifier String workspaceId,
        String owner,
        String name,
        String blueprintId,
        String clusterId,
        WorkspaceSpec spec,
        String operationId) {

    public LaunchWorkspaceCommand {
        Validation.id("workspaceId", workspaceId);
        Validation.required("owner", owner);
        Validation.name("name", name);
        Validation.id("blueprintId", blueprintId);
        Validation.id("clusterId", clusterId);
        Validation.id("operationId", operationId);
        if (spec == null) {
            throw dev.rdeportal.domain.DomainException.invalid("spec is required");
        }
    }
}
