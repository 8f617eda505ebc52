package dev.rdeportal.domain.cluster;

import org.axonframework.serialization.Revision;

@Revision("1")
public record AgentConnectedEvent(
        String clusterId, String agentId, String protocolVersion, String runtime, String agentVersion) {
}
