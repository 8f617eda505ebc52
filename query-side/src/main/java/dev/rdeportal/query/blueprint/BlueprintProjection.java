package dev.rdeportal.query.blueprint;

import dev.rdeportal.domain.blueprint.BlueprintCreatedEvent;
import dev.rdeportal.domain.blueprint.BlueprintDetails;
import dev.rdeportal.domain.blueprint.BlueprintUpdatedEvent;
import dev.rdeportal.query.support.JsonColumns;
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
 * Keeps {@code blueprint_view}: the blueprint's details as of its latest event. Writes join the
 * tracking token's transaction through the portal's {@link JdbcTemplate}; every write sets
 * absolute values keyed by id, so handling an event again leaves the same row.
 */
@Component
@ProcessingGroup(BlueprintProjection.PROCESSING_GROUP)
class BlueprintProjection {

    static final String PROCESSING_GROUP = "blueprints";

    private static final Logger log = LoggerFactory.getLogger("rde.query.blueprints");

    private final NamedParameterJdbcTemplate jdbc;
    private final TopologyChanges topology;

    BlueprintProjection(JdbcTemplate jdbc, TopologyChanges topology) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.topology = topology;
    }

    @EventHandler
    void on(BlueprintCreatedEvent e, @Timestamp Instant at) {
        MapSqlParameterSource row = row(e.blueprintId(), e.details(), at);
        int updated = jdbc.update("UPDATE blueprint_view SET name = :name, cluster_id = :clusterId, "
                + "details_json = :details, created_at = :at, updated_at = :at WHERE id = :id", row);
        if (updated == 0) {
            jdbc.update("INSERT INTO blueprint_view (id, name, cluster_id, details_json, created_at, updated_at) "
                    + "VALUES (:id, :name, :clusterId, :details, :at, :at)", row);
        }
        topology.changed();
    }

    @EventHandler
    void on(BlueprintUpdatedEvent e, @Timestamp Instant at) {
        int updated = jdbc.update("UPDATE blueprint_view SET name = :name, cluster_id = :clusterId, "
                + "details_json = :details, updated_at = :at WHERE id = :id", row(e.blueprintId(), e.details(), at));
        if (updated == 0) {
            // Only possible if the history lacks the creation, which the aggregate rules out.
            log.warn("blueprint {} is not in the read model; update skipped", e.blueprintId());
            return;
        }
        topology.changed();
    }

    @ResetHandler
    void reset() {
        int removed = jdbc.getJdbcOperations().update("DELETE FROM blueprint_view");
        log.info("blueprint read model cleared for replay ({} rows)", removed);
        topology.changed();
    }

    private static MapSqlParameterSource row(String blueprintId, BlueprintDetails details, Instant at) {
        return new MapSqlParameterSource()
                .addValue("id", blueprintId)
                .addValue("name", details.name())
                .addValue("clusterId", details.clusterId(), Types.VARCHAR)
                .addValue("details", JsonColumns.write(details))
                .addValue("at", Timestamps.toColumn(at));
    }
}
