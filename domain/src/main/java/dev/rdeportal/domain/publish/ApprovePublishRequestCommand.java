package dev.rdeportal.domain.publish;

import dev.rdeportal.domain.Validation;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An admin approves. {@code refusal} is null when the requester may still use the workspace's
 * blueprint (checked by the API at this moment), else why not: the approval is then refused and
 * recorded ({@link PublishApprovalRefusedEvent}) and the request stays PENDING. Answers a
 * {@link PublishReview}.
 */
public record ApprovePublishRequestCommand(
        @TargetAggregateIdentifier String requestId,
        String reviewer,
        String comment,
        String refusal,
        String operationId,
        Instant at) {

    public ApprovePublishRequestCommand {
        Validation.required("reviewer", reviewer);
        comment = Validation.text("comment", comment == null ? "" : comment.strip());
    }
}
