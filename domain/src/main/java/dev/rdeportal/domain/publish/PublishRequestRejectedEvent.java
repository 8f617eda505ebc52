package dev.rdeportal.domain.publish;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** Rejected by an admin, with their comment. */
@Revision("1")
public record PublishRequestRejectedEvent(String requestId, String reviewer, String comment, Instant reviewedAt) {
}
