package dev.rdeportal.query.cluster;

import dev.rdeportal.domain.cluster.AgentConnectedEvent;
import dev.rdeportal.domain.cluster.AgentDisconnectedEvent;
import dev.rdeportal.domain.cluster.AgentJoinedEvent;
import dev.rdeportal.domain.cluster.ClusterRegisteredEvent;
import dev.rdeportal.query.support.Timestamps;
import dev.rdeportal.query.topology.TopologyChanges;
import java.sql.Types;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code cluster_view} and {@code agent_view}: registered clusters, the agents that joined
 * them (with the hash of each agent's credential, which the tunnel gateway checks on connect) and
 * whether each is connected. Writes join the tracking token's transaction through the portal's
 * {@link JdbcTemplate}; every write sets absolute values keyed by id, so handling an event again
 * leaves the same row.
 */
@Component
@ProcessingGroup(ClusterProjection.PROCESSING_GROUP)
class ClusterProjection {

    static final String PROCESSING_GROUP = "clusters";

    private static final Logger log = LoggerFactory.getLogger("rde.query.clusters");

    private final NamedParameterJdbcTemplate jdbc;
    private final TopologyChanges topology;

    ClusterProjection(JdbcTemplate jdbc, TopologyChanges topology) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.topology = topology;
    }

    @EventHandler
    void on(ClusterRegisteredEvent e, @Timestamp Instant at) {
        MapSqlParameterSource row = new MapSqlParameterSource()
                .addValue("id", e.clusterId())
                .addValue("name", e.name())
                .addValue("at", Timestamps.toColumn(at));
        if (jdbc.update("UPDATE cluster_view SET name = :name, registered_at = :at WHERE id = :id", row) == 0) {
            jdbc.update("INSERT INTO cluster_view (id, name, registered_at) VALUES (:id, :name, :at)", row);
        }
        topology.changed();
    }

    /**
     * A join sets the agent's identity. Its connection state is left alone when the row exists: the
     * join of a known agent id (a re-join with a new credential) says nothing about its connection.
     */
    @EventHandler
    void on(AgentJoinedEvent e, @Timestamp Instant at) {
        MapSqlParameterSource row = new MapSqlParameterSource()
                .addValue("agentId", e.agentId())
                .addValue("clusterId", e.clusterId())
                .addValue("credentialHash", e.credentialHash())
                .addValue("hostname", e.hostname(), Types.VARCHAR)
                .addValue("at", Timestamps.toColumn(at));
        int updated = jdbc.update("UPDATE agent_view SET cluster_id = :clusterId, credential_hash = :credentialHash, "
                + "hostname = :hostname WHERE agent_id = :agentId", row);
        if (updated == 0) {
            jdbc.update("INSERT INTO agent_view (agent_id, cluster_id, credential_hash, hostname, connected, "
                    + "protocol_version, runtime, last_change_at) VALUES (:agentId, :clusterId, :credentialHash, "
                    + ":hostname, FALSE, NULL, NULL, :at)", row);
        }
        topology.changed();
    }

    @EventHandler
    void on(AgentConnectedEvent e, @Timestamp Instant at) {
        connection(e.agentId(), "connected = TRUE, protocol_version = :protocolVersion, runtime = :runtime",
                new MapSqlParameterSource()
                        .addValue("protocolVersion", e.protocolVersion(), Types.VARCHAR)
                        .addValue("runtime", e.runtime(), Types.VARCHAR),
                at);
    }

    /** Protocol version and runtime stay: they describe the agent as last seen. */
    @EventHandler
    void on(AgentDisconnectedEvent e, @Timestamp Instant at) {
        connection(e.agentId(), "connected = FALSE", new MapSqlParameterSource(), at);
    }

    @ResetHandler
    void reset() {
        int agents = jdbc.getJdbcOperations().update("DELETE FROM agent_view");
        int clusters = jdbc.getJdbcOperations().update("DELETE FROM cluster_view");
        log.info("cluster read model cleared for replay ({} clusters, {} agents)", clusters, agents);
        topology.changed();
    }

    private void connection(String agentId, String assignments, MapSqlParameterSource values, Instant at) {
        values.addValue("agentId", agentId).addValue("at", Timestamps.toColumn(at));
        int updated = jdbc.update("UPDATE agent_view SET " + assignments + ", last_change_at = :at "
                + "WHERE agent_id = :agentId", values);
        if (updated == 0) {
            // Only possible if the history lacks the join, which the aggregate rules out.
            log.warn("agent {} is not in the read model; connection change skipped", agentId);
            return;
        }
        topology.changed();
    }
}
