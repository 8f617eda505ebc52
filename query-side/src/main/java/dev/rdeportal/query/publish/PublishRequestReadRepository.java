package dev.rdeportal.query.publish;

import dev.rdeportal.domain.publish.PublishRequestView;
import dev.rdeportal.domain.publish.PublishStatus;
import dev.rdeportal.query.support.Timestamps;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads {@code publish_request_view} through R2DBC. Lists are newest first, keyset-paged by (requested_at, id). */
@Component
class PublishRequestReadRepository {

    /** A page position: strictly older than this request. */
    record Cursor(Instant requestedAt, String id) {
    }

    private static final String SELECT = "SELECT id, workspace_id, workspace_name, cluster_id, blueprint_id, requester, "
            + "port, note, start_command, publish_name, status, reviewer, review_comment, requested_at, reviewed_at, "
            + "auto_approved, operation_id, url, reason FROM publish_request_view";
    private static final String BEFORE = " AND (requested_at < :at OR (requested_at = :at AND id < :cursorId))";
    private static final String NEWEST_FIRST = " ORDER BY requested_at DESC, id DESC LIMIT :limit";

    private final DatabaseClient db;

    PublishRequestReadRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<PublishRequestView> findById(String id) {
        return db.sql(SELECT + " WHERE id = :id").bind("id", id).map(PublishRequestReadRepository::view).one();
    }

    Mono<PublishRequestView> findByPublishName(String name) {
        return db.sql(SELECT + " WHERE publish_name = :name").bind("name", name).map(PublishRequestReadRepository::view).one();
    }

    Mono<List<PublishRequestView>> pendingOperations(String clusterId) {
        return db.sql(SELECT + " WHERE cluster_id = :clusterId AND status IN (:approved, :unpublishing) "
                        + "AND operation_id IS NOT NULL ORDER BY requested_at, id")
                .bind("clusterId", clusterId).bind("approved", PublishStatus.APPROVED.name())
                .bind("unpublishing", PublishStatus.UNPUBLISHING.name())
                .map(PublishRequestReadRepository::view).all().collectList();
    }

    /** @param status null for every status */
    Mono<List<PublishRequestView>> page(PublishStatus status, Cursor after, int limit) {
        return page(status == null ? null : "status", status == null ? null : status.name(), after, limit);
    }

    Mono<List<PublishRequestView>> pageOfWorkspace(String workspaceId, Cursor after, int limit) {
        return page("workspace_id", workspaceId, after, limit);
    }

    /** The owner of a workspace that is not DELETED, if there is one. */
    Mono<String> workspaceOwner(String workspaceId) {
        return db.sql("SELECT owner FROM workspace_view WHERE id = :id AND status <> 'DELETED'")
                .bind("id", workspaceId).map(row -> row.get("owner", String.class)).one();
    }

    private Mono<List<PublishRequestView>> page(String column, String value, Cursor after, int limit) {
        String where = " WHERE " + (column == null ? "1 = 1" : column + " = :value") + (after == null ? "" : BEFORE);
        DatabaseClient.GenericExecuteSpec spec = db.sql(SELECT + where + NEWEST_FIRST).bind("limit", limit);
        if (column != null) {
            spec = spec.bind("value", value);
        }
        if (after != null) {
            spec = spec.bind("at", Timestamps.toColumn(after.requestedAt())).bind("cursorId", after.id());
        }
        return spec.map(PublishRequestReadRepository::view).all().collectList();
    }

    private static PublishRequestView view(Readable row) {
        Number port = row.get("port", Number.class);
        Boolean auto = row.get("auto_approved", Boolean.class);
        return new PublishRequestView(
                row.get("id", String.class),
                row.get("workspace_id", String.class),
                row.get("workspace_name", String.class),
                row.get("cluster_id", String.class),
                row.get("blueprint_id", String.class),
                row.get("requester", String.class),
                port == null ? 0 : port.intValue(),
                row.get("note", String.class),
                row.get("start_command", String.class),
                row.get("publish_name", String.class),
                PublishStatus.valueOf(row.get("status", String.class)),
                row.get("reviewer", String.class),
                row.get("review_comment", String.class),
                Timestamps.toInstant(row.get("requested_at")),
                Timestamps.toInstant(row.get("reviewed_at")),
                Boolean.TRUE.equals(auto),
                row.get("operation_id", String.class),
                row.get("url", String.class),
                row.get("reason", String.class));
    }
}
