package dev.rdeportal.domain.cluster;

import dev.rdeportal.domain.Validation;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A new one-time join token for the cluster; it replaces any token not yet used. */
public record IssueJoinTokenCommand(
        @TargetAggregateIdentifier String clusterId,
        String joinTokenHash,
        String issuedBy) {

    public IssueJoinTokenCommand {
        Validation.required("joinTokenHash", joinTokenHash);
    }
}
