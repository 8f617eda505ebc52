package dev.rdeportal.domain.member;

import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Takes one of the owner's running-workspace slots for a launch or start ({@code operationId}),
 * before the workspace is asked to run. Refused with {@code workspace-limit-reached} when the
 * owner's other counted workspaces already fill their limit ({@code defaultLimit} when the member
 * has no override).
 */
public record ReserveWorkspaceSlotCommand(@TargetAggregateIdentifier String organizationId, String owner,
                                          String workspaceId, String operationId, int defaultLimit) {

    public ReserveWorkspaceSlotCommand {
        owner = Member.email(owner);
        Validation.id("workspaceId", workspaceId);
        Validation.id("operationId", operationId);
    }
}
