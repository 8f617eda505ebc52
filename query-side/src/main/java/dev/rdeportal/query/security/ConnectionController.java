package dev.rdeportal.query.security;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.ListResponse;
import dev.rdeportal.query.support.Timestamps;
import java.security.Principal;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/security/sessions?state=active|closed} (admins only): the connection log,
 * newest first, at most {@code limit} (default 100, at most 500).
 */
@RestController
@RequestMapping("/api/v1/security/sessions")
class ConnectionController {

    /** One connection as the API shows it; {@code type} is {@code terminal} or {@code preview}. */
    record Connection(String id, String type, String user, String clientIp, String workspaceId, String detail,
                      Instant openedAt, Instant closedAt, String closeReason, Long requests, Long bytesIn, Long bytesOut) {
    }

    private final DatabaseClient db;

    ConnectionController(DatabaseClient db) {
        this.db = db;
    }

    @GetMapping
    Mono<ListResponse<Connection>> list(@RequestParam(defaultValue = "active") String state,
                                        @RequestParam(defaultValue = "100") int limit, Principal principal) {
        Caller.of(principal).requireAdmin("reading the connection log");
        if (!state.equals("active") && !state.equals("closed")) {
            return Mono.error(DomainException.invalid("state must be active or closed"));
        }
        if (limit < 1 || limit > 500) {
            return Mono.error(DomainException.invalid("limit must be from 1 to 500"));
        }
        String where = state.equals("active") ? "closed_at IS NULL" : "closed_at IS NOT NULL";
        String order = state.equals("active") ? "opened_at DESC" : "closed_at DESC";
        return db.sql("SELECT id, kind, user_email, client_ip, workspace_id, detail, opened_at, closed_at, close_reason, "
                        + "requests, bytes_in, bytes_out FROM connection_view WHERE " + where + " ORDER BY " + order
                        + ", id LIMIT " + limit)
                .map(row -> new Connection(row.get("id", String.class), row.get("kind", String.class),
                        row.get("user_email", String.class), row.get("client_ip", String.class),
                        row.get("workspace_id", String.class), row.get("detail", String.class),
                        Timestamps.toInstant(row.get("opened_at")), Timestamps.toInstant(row.get("closed_at")),
                        row.get("close_reason", String.class), row.get("requests", Long.class),
                        row.get("bytes_in", Long.class), row.get("bytes_out", Long.class)))
                .all()
                .collectList()
                .map(ListResponse::complete);
    }
}
