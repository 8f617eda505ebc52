package dev.rdeportal.domain.member;

import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives back the slot taken for {@code operationId}; nothing happens if it is not held. */
public record ReleaseWorkspaceSlotCommand(@TargetAggregateIdentifier String organizationId, String operationId) {

    public ReleaseWorkspaceSlotCommand {
        Validation.id("operationId", operationId);
    }
}
