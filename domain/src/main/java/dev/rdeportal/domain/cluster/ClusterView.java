package dev.rdeportal.domain.cluster;

import java.time.Instant;
import java.util.List;

public record ClusterView(String id, String name, Instant registeredAt, List<AgentView> agents) {

    public record AgentView(String agentId, String hostname, boolean connected, String protocolVersion,
                            String runtime, Instant lastChangeAt) {
    }
}
