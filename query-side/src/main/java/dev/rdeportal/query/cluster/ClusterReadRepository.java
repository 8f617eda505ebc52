package dev.rdeportal.query.cluster;

import dev.rdeportal.domain.cluster.AgentCredentialView;
import dev.rdeportal.domain.cluster.ClusterView;
import dev.rdeportal.domain.cluster.ClusterView.AgentView;
import dev.rdeportal.query.support.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads {@code cluster_view} and {@code agent_view} through R2DBC. */
@Component
public class ClusterReadRepository {

    private final DatabaseClient db;

    public ClusterReadRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Every cluster by name, each with its agents by hostname. Two queries: there are few of either. */
    public Mono<List<ClusterView>> findAll() {
        Mono<List<ClusterRow>> clusters = db.sql("SELECT id, name, registered_at FROM cluster_view ORDER BY name, id")
                .map(row -> new ClusterRow(row.get("id", String.class), row.get("name", String.class),
                        Timestamps.toInstant(row.get("registered_at"))))
                .all()
                .collectList();
        Mono<Map<String, List<AgentView>>> agentsByCluster = db.sql("SELECT agent_id, cluster_id, hostname, "
                        + "connected, protocol_version, runtime, last_change_at FROM agent_view "
                        + "ORDER BY hostname, agent_id")
                .map(row -> new AgentRow(row.get("cluster_id", String.class), new AgentView(
                        row.get("agent_id", String.class),
                        row.get("hostname", String.class),
                        Boolean.TRUE.equals(row.get("connected", Boolean.class)),
                        row.get("protocol_version", String.class),
                        row.get("runtime", String.class),
                        Timestamps.toInstant(row.get("last_change_at")))))
                .all()
                .collect(Collectors.groupingBy(AgentRow::clusterId,
                        Collectors.mapping(AgentRow::agent, Collectors.toList())));
        return Mono.zip(clusters, agentsByCluster, (cs, agents) -> cs.stream()
                .map(c -> new ClusterView(c.id(), c.name(), c.registeredAt(), agents.getOrDefault(c.id(), List.of())))
                .toList());
    }

    /** What the tunnel gateway needs to authenticate an agent; never exposed over REST. */
    Mono<AgentCredentialView> findAgentCredential(String agentId) {
        return db.sql("SELECT agent_id, cluster_id, credential_hash FROM agent_view WHERE agent_id = :agentId")
                .bind("agentId", agentId)
                .map(row -> new AgentCredentialView(row.get("agent_id", String.class),
                        row.get("cluster_id", String.class), row.get("credential_hash", String.class)))
                .one();
    }

    private record ClusterRow(String id, String name, Instant registeredAt) {
    }

    private record AgentRow(String clusterId, AgentView agent) {
    }
}
