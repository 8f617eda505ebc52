package dev.rdeportal.domain.cluster;

import org.axonframework.serialization.Revision;

/** Carries only the SHA-256 of the agent's secret. */
@Revision("1")
public record AgentJoinedEvent(String clusterId, String agentId, String credentialHash, String hostname) {
}
