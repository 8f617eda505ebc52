package dev.rdeportal.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One event as the audit API shows it.
 *
 * @param sequence the event's global index: the order of the history and the paging key
 * @param actor    an email, {@code agent:<id>} or {@code system}; null when the event has none
 * @param ip       the client IP the command came from, when known
 * @param type     the event's simple name, e.g. {@code WorkspaceLaunchedEvent}
 * @param subject  the workspace, blueprint or cluster the event is about
 * @param payload  the event's content as JSON, without secret-bearing fields
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record AuditEntry(long sequence, Instant time, String actor, String ip, String type, String subject,
                  String summary, Object payload, String eventId, String correlationId) {
}
