package dev.rdeportal.query.audit;

import dev.rdeportal.domain.DomainException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.axonframework.common.DateTimeUtils;

/**
 * Which events an audit query covers. Time, type and workspace narrow the SQL; the actor lives in
 * the JSON metadata, which neither database can search portably, so it is matched as rows stream
 * by ({@link #matches}).
 *
 * @param from      inclusive
 * @param to        exclusive
 * @param type      an event's simple name ({@code WorkspaceLaunchedEvent}) or its class name
 * @param workspace the workspace's events and the connection events naming it
 */
record AuditFilter(Instant from, Instant to, String actor, String type, String workspace) {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.$]{1,255}");

    AuditFilter {
        if (from != null && to != null && !from.isBefore(to)) {
            throw DomainException.invalid("from must be before to");
        }
        if (type != null && !TYPE.matcher(type).matches()) {
            throw DomainException.invalid("type must be an event name such as WorkspaceLaunchedEvent");
        }
    }

    static AuditFilter parse(String from, String to, String actor, String type, String workspace) {
        return new AuditFilter(instant("from", from), instant("to", to), blankToNull(actor), blankToNull(type),
                blankToNull(workspace));
    }

    static AuditFilter all() {
        return new AuditFilter(null, null, null, null, null);
    }

    /** SQL conditions over {@code domain_event_entry e}, each followed by " AND ". */
    String where(List<Object> args) {
        StringBuilder sql = new StringBuilder();
        // time_stamp is Axon's fixed-width ISO form (millisecond precision, UTC, "Z"), which sorts
        // as text in time order; the bounds are written the same way.
        if (from != null) {
            sql.append("e.time_stamp >= ? AND ");
            args.add(DateTimeUtils.formatInstant(from));
        }
        if (to != null) {
            sql.append("e.time_stamp < ? AND ");
            args.add(DateTimeUtils.formatInstant(to));
        }
        if (type != null) {
            sql.append("(e.payload_type = ? OR e.payload_type LIKE ? ESCAPE '!') AND ");
            args.add(type);
            args.add("%." + type.replace("_", "!_"));
        }
        if (workspace != null) {
            // Connection events have no aggregate (type IS NULL); their payload names the workspace.
            sql.append("(e.aggregate_identifier = ? OR e.type IS NULL) AND ");
            args.add(workspace);
        }
        return sql.toString();
    }

    boolean matches(AuditEntry entry) {
        if (actor != null && !actor.equalsIgnoreCase(entry.actor())) {
            return false;
        }
        return workspace == null || workspace.equals(entry.subject());
    }

    /** A copy of the SQL arguments, for callers that keep theirs. */
    List<Object> args() {
        List<Object> args = new ArrayList<>();
        where(args);
        return args;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(name + " must be an ISO-8601 UTC instant such as 2025-03-01T09:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
