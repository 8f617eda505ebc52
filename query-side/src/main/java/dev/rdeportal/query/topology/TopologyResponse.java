package dev.rdeportal.query.topology;

import java.time.Instant;
import java.util.List;

/**
 * The graph as the admin API shows it: clusters with their agents, blueprints (with the cluster
 * they pin, or null for the default), and workspaces that are not DELETED. Edges are the ids:
 * agent → its cluster, blueprint → {@code clusterId}, workspace → {@code blueprintId} and
 * {@code clusterId}. No credential hash is ever read.
 */
record TopologyResponse(List<ClusterNode> clusters, List<BlueprintNode> blueprints,
                        List<WorkspaceNode> workspaces) {

    record ClusterNode(String id, String name, Instant registeredAt, List<AgentNode> agents) {
    }

    record AgentNode(String id, String hostname, boolean connected, String protocolVersion, String runtime,
                     Instant lastSeen) {
    }

    record BlueprintNode(String id, String name, String clusterId) {
    }

    record WorkspaceNode(String id, String name, String owner, String status, String statusReason,
                         String blueprintId, String clusterId) {
    }
}
