package dev.rdeportal.domain.cluster;

import org.axonframework.serialization.Revision;

@Revision("1")
public record AgentDisconnectedEvent(String clusterId, String agentId, String reason) {
}
