package dev.rdeportal.domain.publish;

import dev.rdeportal.domain.Validation;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Takes a published app down: its requester or an admin asks, and the agent removes it. Allowed while
 * PUBLISHED, and after a FAILED publish, to clean up what it left. Answers the {@link PublishRequest}.
 *
 * @param admin       whether {@code caller} is an admin (who may unpublish any request)
 * @param operationId the unpublish operation the agent will be sent, decided here so that a retry
 *                    re-sends the same one
 */
public record UnpublishCommand(
        @TargetAggregateIdentifier String requestId,
        String caller,
        boolean admin,
        String operationId,
        Instant at) {

    public UnpublishCommand {
        Validation.required("caller", caller);
        Validation.required("operationId", operationId);
    }
}
