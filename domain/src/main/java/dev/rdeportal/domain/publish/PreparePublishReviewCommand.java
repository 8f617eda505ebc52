package dev.rdeportal.domain.publish;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks the request, before an approval, whether {@code reviewer} may review it now (unknown 404,
 * reviewed 409 {@code already-reviewed}, own request 403 {@code self-review}) and answers whom and
 * what it is for, so the API can ask the blueprint whether the requester may still use it. Records
 * nothing; {@link ApprovePublishRequestCommand} checks the same rules again under the lock.
 */
public record PreparePublishReviewCommand(@TargetAggregateIdentifier String requestId, String reviewer) {
}
