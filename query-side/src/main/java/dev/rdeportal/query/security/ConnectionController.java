package dev.rdeportal.query.security;

import dev.rdeportal.domain.DomainException;
import dev.rdeportal.domain.connection.ConnectionView;
import dev.rdeportal.domain.connection.FindActiveConnectionsQuery;
import dev.rdeportal.query.support.Caller;
import dev.rdeportal.query.support.Columns;
import dev.rdeportal.query.support.Heartbeats;
import dev.rdeportal.query.support.ListResponse;
import dev.rdeportal.query.support.Pages;
import dev.rdeportal.query.support.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/security/sessions} (admins only): the connection log. {@code state=active}
 * (the default) lists open connections newest first; {@code state=closed} the history, most
 * recently closed first. Filters: {@code user}, {@code workspace}, {@code type}
 * ({@code terminal}|{@code preview}), and {@code from}/{@code to} on the opening time. Keyset
 * paging: {@code limit} (default 100, at most 500) and the {@code next} cursor of the last page.
 * {@code GET /api/v1/security/sessions/events}: the open connections, then each one that opens or
 * closes, live.
 */
@RestController
@RequestMapping("/api/v1/security/sessions")
class ConnectionController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    static final String OPENED = "opened";
    static final String CLOSED = "closed";
    static final String SUBSCRIBED = "subscribed";

    /** Where a page ends: the sort time of its last row, and its id (ties broken by id, ascending). */
    record Cursor(Instant at, String id) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((at + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String raw) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                if (bar > 0 && bar < text.length() - 1) {
                    return new Cursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // refused below
            }
            throw DomainException.invalid("cursor is not one this API returned");
        }
    }

    private final DatabaseClient db;
    private final QueryGateway queries;
    private final Duration heartbeat;

    @Autowired
    ConnectionController(DatabaseClient db, QueryGateway queries) {
        this(db, queries, Heartbeats.INTERVAL);
    }

    ConnectionController(DatabaseClient db, QueryGateway queries, Duration heartbeat) {
        this.db = db;
        this.queries = queries;
        this.heartbeat = heartbeat;
    }

    @GetMapping
    Mono<ListResponse<ConnectionView>> list(@RequestParam(defaultValue = "active") String state,
                                            @RequestParam(required = false) String user,
                                        @RequestParam(required = false) String workspace,
                                        @RequestParam(required = false) String type,
                                        @RequestParam(required = false) String from,
                                        @RequestParam(required = false) String to,
                                        @RequestParam(required = false) String limit,
                                        @RequestParam(required = false) String cursor,
                                        Principal principal) {
        Caller.of(principal).requireAdmin("reading the connection log");
        if (!state.equals("active") && !state.equals("closed")) {
            throw DomainException.invalid("state must be active or closed");
        }
        if (type != null && !type.equals("terminal") && !type.equals("preview")) {
            throw DomainException.invalid("type must be terminal or preview");
        }
        int pageSize = Pages.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        boolean active = state.equals("active");
        // Both columns are fixed names, never input.
        String sortColumn = active ? "opened_at" : "closed_at";
        List<String> where = new ArrayList<>(List.of(active ? "closed_at IS NULL" : "closed_at IS NOT NULL"));
        Map<String, Object> binds = new LinkedHashMap<>();
        if (user != null && !user.isBlank()) {
            where.add("user_email = :user");
            binds.put("user", user.strip().toLowerCase(java.util.Locale.ROOT));
        }
        if (workspace != null && !workspace.isBlank()) {
            where.add("workspace_id = :workspace");
            binds.put("workspace", workspace.strip());
        }
        if (type != null) {
            where.add("kind = :type");
            binds.put("type", type);
        }
        if (from != null && !from.isBlank()) {
            where.add("opened_at >= :from");
            binds.put("from", Timestamps.toColumn(instant("from", from)));
        }
        if (to != null && !to.isBlank()) {
            where.add("opened_at < :to");
            binds.put("to", Timestamps.toColumn(instant("to", to)));
        }
        if (cursor != null && !cursor.isBlank()) {
            Cursor after = Cursor.decode(cursor);
            where.add("(" + sortColumn + " < :cursorAt OR (" + sortColumn + " = :cursorAt AND id > :cursorId))");
            binds.put("cursorAt", Timestamps.toColumn(after.at()));
            binds.put("cursorId", after.id());
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql("SELECT " + ConnectionReadRepository.COLUMNS
                        + " FROM connection_view WHERE " + String.join(" AND ", where) + " ORDER BY " + sortColumn
                        + " DESC, id LIMIT :limit")
                .bind("limit", pageSize + 1);
        for (Map.Entry<String, Object> bind : binds.entrySet()) {
            spec = spec.bind(bind.getKey(), bind.getValue());
        }
        return spec.map(row -> ConnectionReadRepository.view(Columns.of(row)))
                .all()
                .collectList()
                .map(rows -> Pages.of(rows, pageSize,
                        c -> new Cursor(active ? c.openedAt() : c.closedAt(), c.id()).encode(), c -> c));
    }

    /**
     * Server-sent events: the comment {@code :subscribed}, then every open connection (up to
     * {@value #MAX_LIMIT}, newest first) as an {@value #OPENED} event, then each connection as it
     * opens ({@value #OPENED}) or closes ({@value #CLOSED}, with {@code closedAt} and its counters),
     * as the projection commits it. The data is the connection as the log shows it. The
     * subscription is opened before the open connections are read, so a change in between is
     * never lost (it may arrive twice: the same id, the same state). The stream starts with the
     * comment {@code :subscribed}. A client that cannot keep up
     * overflows the subscription's buffer and its stream ends; it reconnects and reads afresh.
     */
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<ConnectionView>> events(Principal principal) {
        Caller.of(principal).requireAdmin("watching connections");
        return Flux.using(
                () -> queries.subscriptionQuery(new FindActiveConnectionsQuery(MAX_LIMIT),
                        ResponseTypes.multipleInstancesOf(ConnectionView.class),
                        ResponseTypes.instanceOf(ConnectionView.class)),
                this::stream,
                SubscriptionQueryResult::cancel);
    }

    private Flux<ServerSentEvent<ConnectionView>> stream(SubscriptionQueryResult<List<ConnectionView>, ConnectionView> result) {
        // A first comment commits the response at once, even with nothing open: the client knows
        // it is subscribed (and the subscription registered) without waiting for a heartbeat.
        return Heartbeats.around(Flux.concat(
                Mono.just(ServerSentEvent.<ConnectionView>builder().comment(SUBSCRIBED).build()),
                result.initialResult()
                        .flatMapMany(Flux::fromIterable)
                        .concatWith(result.updates())
                        .map(view -> ServerSentEvent.builder(view).event(view.open() ? OPENED : CLOSED).build())),
                heartbeat);
    }

    private static Instant instant(String name, String raw) {
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(name + " must be an ISO-8601 instant such as 2026-01-31T09:00:00Z");
        }
    }
}
