package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.workspace.FindOwnedWorkspacesQuery;
import dev.rdeportal.domain.workspace.FindWorkspaceQuery;
import dev.rdeportal.domain.workspace.OperationKind;
import dev.rdeportal.domain.workspace.WorkspaceDeleteRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceDeletedEvent;
import dev.rdeportal.domain.workspace.WorkspaceFailedEvent;
import dev.rdeportal.domain.workspace.WorkspaceLaunchedEvent;
import dev.rdeportal.domain.workspace.WorkspaceRunningEvent;
import dev.rdeportal.domain.workspace.WorkspaceStartRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceStopRequestedEvent;
import dev.rdeportal.domain.workspace.WorkspaceStoppedEvent;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.query.support.Columns;
import dev.rdeportal.query.support.JsonColumns;
import dev.rdeportal.query.support.Timestamps;
import dev.rdeportal.query.topology.TopologyChanges;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code workspace_view} in step with the workspace lifecycle and pushes each new state to
 * subscribed clients.
 *
 * <p>Writes go through the portal's {@link JdbcTemplate}, so they join the Spring transaction in
 * which Axon also stores this processor's tracking token: a crash either keeps both or neither.
 * Every handler sets absolute values keyed by workspace id (no increments, no "if status is X"),
 * so handling an event again — after a crash between commit and acknowledgement, or in a replay —
 * leaves the same row. Times come from the event, never from the clock, for the same reason.
 */
@Component
@ProcessingGroup(WorkspaceProjection.PROCESSING_GROUP)
class WorkspaceProjection {

    static final String PROCESSING_GROUP = "workspaces";

    private static final Logger log = LoggerFactory.getLogger("rde.query.workspaces");

    private final NamedParameterJdbcTemplate jdbc;
    private final QueryUpdateEmitter emitter;
    private final TopologyChanges topology;

    WorkspaceProjection(JdbcTemplate jdbc, QueryUpdateEmitter emitter, TopologyChanges topology) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.emitter = emitter;
        this.topology = topology;
    }

    @EventHandler
    void on(WorkspaceLaunchedEvent e, @Timestamp Instant at, ReplayStatus replay) {
        MapSqlParameterSource row = new MapSqlParameterSource()
                .addValue("id", e.workspaceId())
                .addValue("name", e.name())
                .addValue("blueprintId", e.blueprintId())
                .addValue("clusterId", e.clusterId())
                .addValue("owner", e.owner())
                .addValue("status", WorkspaceStatus.PROVISIONING.name())
                .addValue("pendingId", e.operationId(), Types.VARCHAR)
                .addValue("pending", OperationKind.PROVISION.name())
                .addValue("spec", JsonColumns.write(e.spec()))
                .addValue("at", Timestamps.toColumn(at));
        // Update first, insert when absent: portable to PostgreSQL and H2, and safe because the
        // processor hands all events of one workspace to one thread, in order.
        int updated = jdbc.update("UPDATE workspace_view SET name = :name, blueprint_id = :blueprintId, "
                + "cluster_id = :clusterId, owner = :owner, status = :status, status_reason = NULL, "
                + "pending_operation_id = :pendingId, pending_operation = :pending, spec_json = :spec, "
                + "ports_json = NULL, created_at = :at, updated_at = :at WHERE id = :id", row);
        if (updated == 0) {
            jdbc.update("INSERT INTO workspace_view (id, name, blueprint_id, cluster_id, owner, status, "
                    + "status_reason, pending_operation_id, pending_operation, spec_json, ports_json, created_at, "
                    + "updated_at) VALUES (:id, :name, :blueprintId, :clusterId, :owner, :status, NULL, :pendingId, "
                    + ":pending, :spec, NULL, :at, :at)", row);
        }
        publish(e.workspaceId(), replay);
    }

    @EventHandler
    void on(WorkspaceRunningEvent e, @Timestamp Instant at, ReplayStatus replay) {
        change(e.workspaceId(), at, replay, "status = :status, status_reason = NULL, pending_operation_id = NULL, "
                + "pending_operation = NULL, ports_json = :ports", new MapSqlParameterSource()
                .addValue("status", WorkspaceStatus.RUNNING.name())
                .addValue("ports", JsonColumns.write(e.ports()), Types.VARCHAR));
    }

    // A request's reason (an admin's note, "idle", a reconciliation finding) replaces the previous
    // one, null included: a stale failure message must not hang on to a workspace being restarted.

    @EventHandler
    void on(WorkspaceStopRequestedEvent e, @Timestamp Instant at, ReplayStatus replay) {
        request(e.workspaceId(), WorkspaceStatus.STOPPING, e.operationId(), OperationKind.STOP, e.reason(), at, replay);
    }

    @EventHandler
    void on(WorkspaceStartRequestedEvent e, @Timestamp Instant at, ReplayStatus replay) {
        request(e.workspaceId(), WorkspaceStatus.PROVISIONING, e.operationId(), OperationKind.START, e.reason(), at,
                replay);
    }

    @EventHandler
    void on(WorkspaceDeleteRequestedEvent e, @Timestamp Instant at, ReplayStatus replay) {
        request(e.workspaceId(), WorkspaceStatus.DELETING, e.operationId(), OperationKind.DELETE, e.reason(), at,
                replay);
    }

    // Stopped and Deleted settle the workspace: nothing is pending any more. The reason given with
    // the request stays, as it explains why the workspace is now stopped or gone.

    /**
     * A stop the agent observed rather than carried out (no operation) brings its own reason, such
     * as "the start command exited with 1"; that one replaces the old reason.
     */
    @EventHandler
    void on(WorkspaceStoppedEvent e, @Timestamp Instant at, ReplayStatus replay) {
        if (e.reason() == null) {
            settle(e.workspaceId(), WorkspaceStatus.STOPPED, at, replay);
            return;
        }
        change(e.workspaceId(), at, replay, "status = :status, status_reason = :reason, "
                + "pending_operation_id = NULL, pending_operation = NULL", new MapSqlParameterSource()
                .addValue("status", WorkspaceStatus.STOPPED.name())
                .addValue("reason", e.reason()));
    }

    @EventHandler
    void on(WorkspaceDeletedEvent e, @Timestamp Instant at, ReplayStatus replay) {
        settle(e.workspaceId(), WorkspaceStatus.DELETED, at, replay);
    }

    @EventHandler
    void on(WorkspaceFailedEvent e, @Timestamp Instant at, ReplayStatus replay) {
        change(e.workspaceId(), at, replay, "status = :status, status_reason = :reason, "
                + "pending_operation_id = NULL, pending_operation = NULL", new MapSqlParameterSource()
                .addValue("status", WorkspaceStatus.FAILED.name())
                .addValue("reason", e.reason(), Types.VARCHAR));
    }

    @ResetHandler
    void reset() {
        int removed = jdbc.getJdbcOperations().update("DELETE FROM workspace_view");
        log.info("workspace read model cleared for replay ({} rows)", removed);
        topology.changed();
    }

    private void request(String workspaceId, WorkspaceStatus status, String operationId, OperationKind kind,
                         String reason, Instant at, ReplayStatus replay) {
        change(workspaceId, at, replay, "status = :status, status_reason = :reason, "
                + "pending_operation_id = :pendingId, pending_operation = :pending", new MapSqlParameterSource()
                .addValue("status", status.name())
                .addValue("reason", reason, Types.VARCHAR)
                .addValue("pendingId", operationId, Types.VARCHAR)
                .addValue("pending", kind.name()));
    }

    private void settle(String workspaceId, WorkspaceStatus status, Instant at, ReplayStatus replay) {
        change(workspaceId, at, replay, "status = :status, pending_operation_id = NULL, pending_operation = NULL",
                new MapSqlParameterSource().addValue("status", status.name()));
    }

    private void change(String workspaceId, Instant at, ReplayStatus replay, String assignments,
                        MapSqlParameterSource values) {
        values.addValue("id", workspaceId).addValue("at", Timestamps.toColumn(at));
        int updated = jdbc.update("UPDATE workspace_view SET " + assignments + ", updated_at = :at WHERE id = :id",
                values);
        if (updated == 0) {
            // Only possible if the history lacks the launch, which the aggregate rules out; skipping
            // keeps the processor going instead of blocking every later workspace behind this one.
            log.warn("workspace {} is not in the read model; change to {} skipped", workspaceId,
                    values.getValue("status"));
            return;
        }
        publish(workspaceId, replay);
    }

    /**
     * Pushes the row as now written to subscription queries. The emitter holds the update until
     * the unit of work commits, so a client never sees a state that was rolled back. In a replay the
     * rows pass through old states, which live clients must not be shown.
     */
    private void publish(String workspaceId, ReplayStatus replay) {
        if (replay.isReplay()) {
            return;
        }
        topology.changed();
        List<WorkspaceView> rows = jdbc.query("SELECT " + WorkspaceRows.COLUMNS + " FROM workspace_view WHERE id = :id",
                new MapSqlParameterSource("id", workspaceId), (rs, n) -> WorkspaceRows.toView(Columns.of(rs)));
        for (WorkspaceView view : rows) {
            emitter.emit(FindWorkspaceQuery.class, q -> q.workspaceId().equals(view.id()), view);
            emitter.emit(FindOwnedWorkspacesQuery.class, q -> q.owner().equals(view.owner()), view);
        }
    }
}
