package dev.rdeportal.query.topology;

import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.query.support.Timestamps;
import dev.rdeportal.query.topology.TopologyResponse.AgentNode;
import dev.rdeportal.query.topology.TopologyResponse.BlueprintNode;
import dev.rdeportal.query.topology.TopologyResponse.ClusterNode;
import dev.rdeportal.query.topology.TopologyResponse.WorkspaceNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

    TopologyReadRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<TopologyResponse> load() {
        Mono<List<ClusterRow>> clusters = db.sql("SELECT id, name, registered_at FROM cluster_view ORDER BY name, id")
                .map(row -> new ClusterRow(row.get("id", String.class), row.get("name", String.class),
                        Timestamps.toInstant(row.get("registered_at"))))
                .all()
                .collectList();
        Mono<Map<String, List<AgentNode>>> agents = db.sql("SELECT agent_id, cluster_id, hostname, connected, "
                        + "protocol_version, runtime, last_change_at FROM agent_view ORDER BY hostname, agent_id")
                .map(row -> new AgentRow(row.get("cluster_id", String.class), new AgentNode(
                        row.get("agent_id", String.class),
                        row.get("hostname", String.class),
                        Boolean.TRUE.equals(row.get("connected", Boolean.class)),
                        row.get("protocol_version", String.class),
                        row.get("runtime", String.class),
                        Timestamps.toInstant(row.get("last_change_at")))))
                .all()
                .collect(Collectors.groupingBy(AgentRow::clusterId,
                        Collectors.mapping(AgentRow::agent, Collectors.toList())));
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
        return Mono.zip(clusters, agents, blueprints, workspaces).map(t -> new TopologyResponse(
                t.getT1().stream().map(c -> new ClusterNode(c.id(), c.name(), c.registeredAt(),
                        t.getT2().getOrDefault(c.id(), List.of()))).toList(),
                t.getT3(),
                t.getT4()));
    }

    private record ClusterRow(String id, String name, Instant registeredAt) {
    }

    private record AgentRow(String clusterId, AgentNode agent) {
    }
}
