package dev.rdeportal.query.topology;

import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.query.cluster.ClusterReadRepository;
import dev.rdeportal.query.topology.TopologyResponse.AgentNode;
import dev.rdeportal.query.topology.TopologyResponse.BlueprintNode;
import dev.rdeportal.query.topology.TopologyResponse.ClusterNode;
import dev.rdeportal.query.topology.TopologyResponse.WorkspaceNode;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads the graph from {@code cluster_view}, {@code agent_view}, {@code blueprint_view} and
 * {@code workspace_view} through R2DBC: four small queries, each in a stable order so that two
 * reads of an unchanged model are equal (the event stream relies on that to stay quiet).
 */
@Component
class TopologyReadRepository {

    private final DatabaseClient db;
    private final ClusterReadRepository clusterRepository;

    TopologyReadRepository(DatabaseClient db, ClusterReadRepository clusterRepository) {
        this.db = db;
        this.clusterRepository = clusterRepository;
    }

    Mono<TopologyResponse> load() {
        // Clusters and their agents as the cluster API reads them, in the same order.
        Mono<List<ClusterNode>> clusters = clusterRepository.findAll().map(all -> all.stream()
                .map(c -> new ClusterNode(c.id(), c.name(), c.registeredAt(), c.agents().stream()
                        .map(a -> new AgentNode(a.agentId(), a.hostname(), a.connected(), a.protocolVersion(),
                                a.runtime(), a.lastChangeAt()))
                        .toList()))
                .toList());
        Mono<List<BlueprintNode>> blueprints = db.sql("SELECT id, name, cluster_id FROM blueprint_view ORDER BY name, id")
                .map(row -> new BlueprintNode(row.get("id", String.class), row.get("name", String.class),
                        row.get("cluster_id", String.class)))
                .all()
                .collectList();
        Mono<List<WorkspaceNode>> workspaces = db.sql("SELECT id, name, owner, status, status_reason, blueprint_id, "
                        + "cluster_id FROM workspace_view WHERE status <> :deleted ORDER BY name, id")
                .bind("deleted", WorkspaceStatus.DELETED.name())
                .map(row -> new WorkspaceNode(row.get("id", String.class), row.get("name", String.class),
                        row.get("owner", String.class), row.get("status", String.class),
                        row.get("status_reason", String.class), row.get("blueprint_id", String.class),
                        row.get("cluster_id", String.class)))
                .all()
                .collectList();
        return Mono.zip(clusters, blueprints, workspaces)
                .map(t -> new TopologyResponse(t.getT1(), t.getT2(), t.getT3()));
    }
}
