package dev.rdeportal.query.publish;

import dev.rdeportal.domain.publish.PublishApprovalRefusedEvent;
import dev.rdeportal.domain.publish.PublishRequestApprovedEvent;
import dev.rdeportal.domain.publish.PublishRequestFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestPublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestRejectedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishFailedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishedEvent;
import dev.rdeportal.domain.publish.PublishRequestUnpublishingEvent;
import dev.rdeportal.domain.publish.PublishRequestedEvent;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.query.support.Timestamps;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code publish_request_view}: one row per request with its review and outcome. Every write
 * sets absolute values, so an event handled again (a replay, a retried batch) leaves the same row.
 */
@Component
@ProcessingGroup(PublishRequestProjection.PROCESSING_GROUP)
class PublishRequestProjection {

    static final String PROCESSING_GROUP = "publish-requests";

    private static final Logger log = LoggerFactory.getLogger("rde.query.publish");

    private final NamedParameterJdbcTemplate jdbc;

    PublishRequestProjection(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
    }

    @EventHandler
    void on(PublishRequestedEvent e) {
        MapSqlParameterSource row = new MapSqlParameterSource()
                .addValue("id", e.requestId())
                .addValue("workspaceId", e.workspaceId())
                .addValue("workspaceName", e.workspaceName())
                .addValue("clusterId", e.clusterId())
                .addValue("blueprintId", e.blueprintId())
                .addValue("requester", e.requester())
                .addValue("port", e.port())
                .addValue("note", e.note() == null ? "" : e.note())
                .addValue("startCommand", e.startCommand() == null ? "" : e.startCommand())
                .addValue("publishName", e.publishName())
                .addValue("status", PublishStatus.PENDING.name())
                .addValue("at", Timestamps.toColumn(e.requestedAt()));
        jdbc.update("DELETE FROM publish_request_view WHERE id = :id", row);
        jdbc.update("INSERT INTO publish_request_view (id, workspace_id, workspace_name, cluster_id, blueprint_id, "
                + "requester, port, note, start_command, publish_name, status, requested_at, auto_approved) VALUES "
                + "(:id, :workspaceId, :workspaceName, :clusterId, :blueprintId, :requester, :port, :note, "
                + ":startCommand, :publishName, :status, :at, FALSE)", row);
    }

    @EventHandler
    void on(PublishRequestApprovedEvent e) {
        jdbc.update("UPDATE publish_request_view SET status = :status, reviewer = :reviewer, review_comment = :comment, "
                + "reviewed_at = :at, auto_approved = :auto, operation_id = :operationId, reason = NULL WHERE id = :id",
                new MapSqlParameterSource()
                        .addValue("id", e.requestId())
                        .addValue("status", PublishStatus.APPROVED.name())
                        .addValue("reviewer", e.reviewer())
                        .addValue("comment", e.comment())
                        .addValue("at", Timestamps.toColumn(e.reviewedAt()))
                        .addValue("auto", e.autoApproved())
                        .addValue("operationId", e.operationId()));
    }

    @EventHandler
    void on(PublishApprovalRefusedEvent e) {
        jdbc.update("UPDATE publish_request_view SET reason = :reason WHERE id = :id",
                new MapSqlParameterSource("id", e.requestId()).addValue("reason", e.reason()));
    }

    @EventHandler
    void on(PublishRequestRejectedEvent e) {
        jdbc.update("UPDATE publish_request_view SET status = :status, reviewer = :reviewer, review_comment = :comment, "
                + "reviewed_at = :at, reason = NULL WHERE id = :id", new MapSqlParameterSource()
                .addValue("id", e.requestId())
                .addValue("status", PublishStatus.REJECTED.name())
                .addValue("reviewer", e.reviewer())
                .addValue("comment", e.comment())
                .addValue("at", Timestamps.toColumn(e.reviewedAt())));
    }

    @EventHandler
    void on(PublishRequestPublishedEvent e) {
        jdbc.update("UPDATE publish_request_view SET status = :status, url = :url WHERE id = :id",
                new MapSqlParameterSource("id", e.requestId())
                        .addValue("status", PublishStatus.PUBLISHED.name())
                        .addValue("url", e.url()));
    }

    @EventHandler
    void on(PublishRequestFailedEvent e) {
        jdbc.update("UPDATE publish_request_view SET status = :status, reason = :reason WHERE id = :id",
                new MapSqlParameterSource("id", e.requestId())
                        .addValue("status", PublishStatus.FAILED.name())
                        .addValue("reason", e.reason()));
    }

    @EventHandler
    void on(PublishRequestUnpublishingEvent e) {
        jdbc.update("UPDATE publish_request_view SET status = :status, operation_id = :operationId, reason = NULL "
                + "WHERE id = :id", new MapSqlParameterSource("id", e.requestId())
                .addValue("status", PublishStatus.UNPUBLISHING.name())
                .addValue("operationId", e.operationId()));
    }

    @EventHandler
    void on(PublishRequestUnpublishedEvent e) {
        jdbc.update("UPDATE publish_request_view SET status = :status WHERE id = :id",
                new MapSqlParameterSource("id", e.requestId()).addValue("status", PublishStatus.UNPUBLISHED.name()));
    }

    @EventHandler
    void on(PublishRequestUnpublishFailedEvent e) {
        jdbc.update("UPDATE publish_request_view SET status = :status, reason = :reason WHERE id = :id",
                new MapSqlParameterSource("id", e.requestId())
                        .addValue("status", e.status().name())
                        .addValue("reason", e.reason()));
    }

    @ResetHandler
    void reset() {
        int removed = jdbc.getJdbcOperations().update("DELETE FROM publish_request_view");
        log.info("publish request read model cleared for replay ({} rows)", removed);
    }
}
