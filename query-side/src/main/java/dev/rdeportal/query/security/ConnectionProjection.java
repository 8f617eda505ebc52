package dev.rdeportal.query.security;

import dev.rdeportal.domain.connection.PreviewSessionClosedEvent;
import dev.rdeportal.domain.connection.PreviewSessionOpenedEvent;
import dev.rdeportal.domain.connection.TerminalSessionClosedEvent;
import dev.rdeportal.domain.connection.TerminalSessionOpenedEvent;
import dev.rdeportal.domain.connection.FindActiveConnectionsQuery;
import dev.rdeportal.query.support.Columns;
import dev.rdeportal.query.support.Timestamps;
import java.sql.Types;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code connection_view}. An open writes the row, a close completes it (or writes it whole
 * when the open was never seen); every write sets absolute values keyed by id, so replaying an
 * event leaves the same row. A connection whose portal died before its close stays open here.
 */
@Component
@ProcessingGroup(ConnectionProjection.PROCESSING_GROUP)
class ConnectionProjection {

    static final String PROCESSING_GROUP = "connections";

    private final NamedParameterJdbcTemplate jdbc;
    private final QueryUpdateEmitter updates;

    ConnectionProjection(JdbcTemplate jdbc, QueryUpdateEmitter updates) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.updates = updates;
    }

    @EventHandler
    void on(TerminalSessionOpenedEvent e, ReplayStatus replay) {
        open(e.connectionId(), "terminal", e.user(), e.clientIp(), e.workspaceId(),
                terminalDetail(e.command(), e.sessionId()), e.openedAt());
        publish(e.connectionId(), replay);
    }

    @EventHandler
    void on(TerminalSessionClosedEvent e, ReplayStatus replay) {
        close(base(e.connectionId(), "terminal", e.user(), e.clientIp(), e.workspaceId(),
                terminalDetail(null, e.sessionId()), e.openedAt())
                .addValue("closedAt", Timestamps.toColumn(e.closedAt()))
                .addValue("reason", e.reason(), Types.VARCHAR)
                .addValue("requests", null, Types.BIGINT)
                .addValue("bytesIn", e.bytesIn(), Types.BIGINT)
                .addValue("bytesOut", e.bytesOut(), Types.BIGINT));
        publish(e.connectionId(), replay);
    }

    @EventHandler
    void on(PreviewSessionOpenedEvent e, ReplayStatus replay) {
        open(e.sessionId(), "preview", e.user(), e.clientIp(), e.workspaceId(), "port " + e.port(), e.openedAt());
        publish(e.sessionId(), replay);
    }

    @EventHandler
    void on(PreviewSessionClosedEvent e, ReplayStatus replay) {
        close(base(e.sessionId(), "preview", e.user(), e.clientIp(), e.workspaceId(), "port " + e.port(), e.openedAt())
                .addValue("closedAt", Timestamps.toColumn(e.closedAt()))
                .addValue("reason", e.reason(), Types.VARCHAR)
                .addValue("requests", e.requests())
                .addValue("bytesIn", e.bytesIn())
                .addValue("bytesOut", e.bytesOut()));
        publish(e.sessionId(), replay);
    }

    /**
     * Pushes the row as now written to {@link FindActiveConnectionsQuery} subscribers (the Security
     * Center's live view). The emitter holds it until the unit of work commits, so nobody sees a
     * connection that was rolled back; a replay passes through old states, which are not news.
     */
    private void publish(String id, ReplayStatus replay) {
        if (replay.isReplay()) {
            return;
        }
        jdbc.query("SELECT " + ConnectionReadRepository.COLUMNS + " FROM connection_view WHERE id = :id",
                        new MapSqlParameterSource("id", id), (rs, n) -> ConnectionReadRepository.view(Columns.of(rs)))
                .forEach(view -> updates.emit(FindActiveConnectionsQuery.class, query -> true, view));
    }

    @ResetHandler
    void reset() {
        jdbc.getJdbcTemplate().update("DELETE FROM connection_view");
    }

    private void open(String id, String kind, String user, String clientIp, String workspaceId, String detail,
                      java.time.Instant openedAt) {
        MapSqlParameterSource row = base(id, kind, user, clientIp, workspaceId, detail, openedAt);
        if (jdbc.update("UPDATE connection_view SET opened_at = :openedAt WHERE id = :id", row) == 0) {
            jdbc.update("INSERT INTO connection_view (id, kind, user_email, client_ip, workspace_id, detail, opened_at) "
                    + "VALUES (:id, :kind, :user, :clientIp, :workspaceId, :detail, :openedAt)", row);
        }
    }

    private void close(MapSqlParameterSource row) {
        int updated = jdbc.update("UPDATE connection_view SET closed_at = :closedAt, close_reason = :reason, "
                + "requests = :requests, bytes_in = :bytesIn, bytes_out = :bytesOut WHERE id = :id", row);
        if (updated == 0) {
            jdbc.update("INSERT INTO connection_view (id, kind, user_email, client_ip, workspace_id, detail, opened_at, "
                    + "closed_at, close_reason, requests, bytes_in, bytes_out) VALUES (:id, :kind, :user, :clientIp, "
                    + ":workspaceId, :detail, :openedAt, :closedAt, :reason, :requests, :bytesIn, :bytesOut)", row);
        }
    }

    private static MapSqlParameterSource base(String id, String kind, String user, String clientIp, String workspaceId,
                                              String detail, java.time.Instant openedAt) {
        return new MapSqlParameterSource()
                .addValue("id", id)
                .addValue("kind", kind)
                .addValue("user", user, Types.VARCHAR)
                .addValue("clientIp", clientIp, Types.VARCHAR)
                .addValue("workspaceId", workspaceId)
                .addValue("detail", detail, Types.VARCHAR)
                .addValue("openedAt", Timestamps.toColumn(openedAt));
    }

    private static String terminalDetail(String command, String sessionId) {
        String tool = command == null || command.isBlank() ? "shell" : command;
        return command == null ? "session " + sessionId : tool + ", session " + sessionId;
    }
}
