package dev.rdeportal.query.workspace;

import dev.rdeportal.domain.workspace.WorkspaceStatus;
import dev.rdeportal.domain.workspace.WorkspaceView;
import dev.rdeportal.query.support.Columns;
import dev.rdeportal.query.support.Timestamps;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads {@code workspace_view} through R2DBC, for the query handlers and the REST endpoints alike. */
@Component
class WorkspaceReadRepository {

    private static final String SELECT = "SELECT " + WorkspaceRows.COLUMNS + " FROM workspace_view";
    private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id DESC";

    private final DatabaseClient db;

    WorkspaceReadRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<WorkspaceView> findById(String workspaceId) {
        return db.sql(SELECT + " WHERE id = :id")
                .bind("id", workspaceId)
                .map(row -> WorkspaceRows.toView(Columns.of(row)))
                .one();
    }

    /** An owner's workspaces, newest first, DELETED left out. */
    Flux<WorkspaceView> findOwned(String owner) {
        return db.sql(SELECT + " WHERE owner = :owner AND status <> :deleted" + NEWEST_FIRST)
                .bind("owner", owner)
                .bind("deleted", WorkspaceStatus.DELETED.name())
                .map(row -> WorkspaceRows.toView(Columns.of(row)))
                .all();
    }

    /** Every workspace placed on a cluster, DELETED included, oldest first. */
    Flux<WorkspaceView> findByCluster(String clusterId) {
        return db.sql(SELECT + " WHERE cluster_id = :clusterId ORDER BY created_at, id")
                .bind("clusterId", clusterId)
                .map(row -> WorkspaceRows.toView(Columns.of(row)))
                .all();
    }

    /**
     * One page of live (not DELETED) workspaces, newest first.
     *
     * @param owner whose workspaces, or null for everyone's
     * @param after where the previous page ended, or null for the first page
     */
    Mono<WorkspacePage> findPage(String owner, WorkspaceCursor after, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE status <> :deleted");
        if (owner != null) {
            sql.append(" AND owner = :owner");
        }
        if (after != null) {
            // Strictly after the cursor in (created_at DESC, id DESC) order; id breaks ties between
            // workspaces launched in the same microsecond.
            sql.append(" AND (created_at < :afterAt OR (created_at = :afterAt AND id < :afterId))");
        }
        // One row more than asked tells whether another page exists without a second query.
        sql.append(NEWEST_FIRST).append(" LIMIT :limit");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString())
                .bind("deleted", WorkspaceStatus.DELETED.name())
                .bind("limit", limit + 1);
        if (owner != null) {
            spec = spec.bind("owner", owner);
        }
        if (after != null) {
            spec = spec.bind("afterAt", Timestamps.toColumn(after.createdAt())).bind("afterId", after.id());
        }
        return spec.map(row -> WorkspaceRows.toView(Columns.of(row)))
                .all()
                .collectList()
                .map(rows -> {
                    if (rows.size() <= limit) {
                        return new WorkspacePage(rows, null);
                    }
                    List<WorkspaceView> page = new ArrayList<>(rows.subList(0, limit));
                    return new WorkspacePage(page, WorkspaceCursor.after(page.get(limit - 1)));
                });
    }
}
