package dev.rdeportal.query.security;

import dev.rdeportal.domain.connection.PreviewSessionClosedEvent;
import dev.rdeportal.domain.connection.PreviewSessionOpenedEvent;
import dev.rdeportal.domain.connection.TerminalSessionClosedEvent;
import dev.rdeportal.domain.connection.TerminalSessionOpenedEvent;
import dev.rdeportal.query.support.Timestamps;
import java.sql.Types;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
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

    ConnectionProjection(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
    }

    @EventHandler
    void on(TerminalSessionOpenedEvent e) {
        open(e.connectionId(), "terminal", e.user(), e.clientIp(), e.workspaceId(),
                terminalDetail(e.command(), e.sessionId()), e.openedAt());
    }

    @EventHandler
    void on(TerminalSessionClosedEvent e) {
        close(base(e.connectionId(), "terminal", e.user(), e.clientIp(), e.workspaceId(),
                terminalDetail(null, e.sessionId()), e.openedAt())
                .addValue("closedAt", Timestamps.toColumn(e.closedAt()))
                .addValue("reason", e.reason(), Types.VARCHAR)
                .addValue("requests", null, Types.BIGINT)
                .addValue("bytesIn", e.bytesIn(), Types.BIGINT)
                .addValue("bytesOut", e.bytesOut(), Types.BIGINT));
    }

    @EventHandler
    void on(PreviewSessionOpenedEvent e) {
        open(e.sessionId(), "preview", e.user(), e.clientIp(), e.workspaceId(), "port " + e.port(), e.openedAt());
    }

    @EventHandler
    void on(PreviewSessionClosedEvent e) {
        close(base(e.sessionId(), "preview", e.user(), e.clientIp(), e.workspaceId(), "port " + e.port(), e.openedAt())
                .addValue("closedAt", Timestamps.toColumn(e.closedAt()))
                .addValue("reason", e.reason(), Types.VARCHAR)
                .addValue("requests", e.requests())
                .addValue("bytesIn", e.bytesIn())
                .addValue("bytesOut", e.bytesOut()));
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
