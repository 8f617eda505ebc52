package dev.rdeportal.domain.cluster;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordAgentDisconnectedCommand(
        @TargetAggregateIdentifier String clusterId,
        String agentId,
        String reason) {
}
