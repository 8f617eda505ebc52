package dev.rdeportal.query.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One event processor as {@code GET /api/v1/admin/projections} shows it.
 *
 * @param status      {@code running}, {@code replaying}, {@code stopped} or {@code error}
 * @param position    the highest global sequence it has handled (over its segments); null before any
 * @param caughtUp    every segment has reached the head of the event stream. After a rebuild
 *                    the status stays {@code replaying} until the first event newer than the
 *                    rebuild arrives (Axon ends a replay there); {@code caughtUp} with a position at
 *                    or past the one before the rebuild is what "rebuilt" means
 * @param rebuildable whether a replay is allowed: the audit chain and sagas refuse it
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ProjectionStatus(String name, String status, Long position, boolean caughtUp, boolean rebuildable) {
}
