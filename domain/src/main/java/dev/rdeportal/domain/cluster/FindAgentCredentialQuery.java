package dev.rdeportal.domain.cluster;

/** Answers {@code Optional<AgentCredentialView>}. */
public record FindAgentCredentialQuery(String agentId) {
}
