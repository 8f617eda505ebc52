package dev.rdeportal.domain.cluster;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An agent presents a join token. Answers {@code true} when the token was the cluster's unused one
 * (and consumes it); otherwise records a refusal and answers {@code false}.
 */
public record JoinAgentCommand(
        @TargetAggregateIdentifier String clusterId,
        String joinTokenHash,
        String agentId,
        String credentialHash,
        String hostname) {
}
