package dev.rdeportal.query.cluster;

import dev.rdeportal.domain.cluster.ClusterView;
import java.time.Instant;
import java.util.List;

/** A cluster as the admin API shows it. Built field by field so a credential can never leak in. */
record ClusterResponse(String id, String name, Instant registeredAt, List<AgentResponse> agents) {

    record AgentResponse(String agentId, String hostname, boolean connected, String protocolVersion,
                         String runtime, Instant lastChangeAt) {
    }

    static ClusterResponse of(ClusterView view) {
        return new ClusterResponse(view.id(), view.name(), view.registeredAt(), view.agents().stream()
                .map(a -> new AgentResponse(a.agentId(), a.hostname(), a.connected(), a.protocolVersion(),
                        a.runtime(), a.lastChangeAt()))
                .toList());
    }
}
