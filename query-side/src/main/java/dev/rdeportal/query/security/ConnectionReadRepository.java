package dev.rdeportal.query.security;

import dev.rdeportal.domain.connection.ConnectionView;
import dev.rdeportal.query.support.Timestamps;
import dev.rdeportal.query.support.Columns;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** Reads {@code connection_view}: its one row mapping, and the open connections over R2DBC. */
@Repository
class ConnectionReadRepository {

    static final String COLUMNS = "id, kind, user_email, client_ip, workspace_id, detail, opened_at, closed_at, "
            + "close_reason, requests, bytes_in, bytes_out";

    private final DatabaseClient db;

    ConnectionReadRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The open connections, newest first. */
    Flux<ConnectionView> open(int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM connection_view WHERE closed_at IS NULL "
                        + "ORDER BY opened_at DESC, id LIMIT :limit")
                .bind("limit", limit)
                .map(row -> view(Columns.of(row)))
                .all();
    }

    /** One row of {@code connection_view}, from JDBC or R2DBC ({@link Columns}). */
    static ConnectionView view(Function<String, Object> row) {
        return new ConnectionView((String) row.apply("id"), (String) row.apply("kind"),
                (String) row.apply("user_email"), (String) row.apply("client_ip"),
                (String) row.apply("workspace_id"), (String) row.apply("detail"),
                Timestamps.toInstant(row.apply("opened_at")), Timestamps.toInstant(row.apply("closed_at")),
                (String) row.apply("close_reason"), number(row.apply("requests")),
                number(row.apply("bytes_in")), number(row.apply("bytes_out")));
    }

    private static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
