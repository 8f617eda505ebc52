package dev.rdeportal.domain.cluster;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordAgentConnectedCommand(
        @TargetAggregateIdentifier String clusterId,
        String agentId,
        String protocolVersion,
        String runtime,
        String agentVersion) {
}
