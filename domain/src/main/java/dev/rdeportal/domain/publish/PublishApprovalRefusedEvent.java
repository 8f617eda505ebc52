package dev.rdeportal.domain.publish;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * An admin tried to approve, but the requester may no longer use the workspace's blueprint (its
 * ACL changed, or they are no longer a member). Nothing is published; the request stays PENDING,
 * so it can be rejected, or approved once the requester has access again.
 */
@Revision("1")
public record PublishApprovalRefusedEvent(String requestId, String reviewer, String comment, String reason,
                                          Instant at) {
}
