package dev.rdeportal.domain.publish;

import dev.rdeportal.domain.Validation;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An admin rejects, with a comment. Answers the {@link PublishRequest}. */
public record RejectPublishRequestCommand(
        @TargetAggregateIdentifier String requestId,
        String reviewer,
        String comment,
        Instant at) {

    public RejectPublishRequestCommand {
        Validation.required("reviewer", reviewer);
        comment = Validation.text("comment", comment == null ? "" : comment.strip());
    }
}
